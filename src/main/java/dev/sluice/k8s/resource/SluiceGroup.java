package dev.sluice.k8s.resource;

/** The API group and version of Sluice's custom resources, and the names of its annotations. */
public final class SluiceGroup {
    public static final String NAME = "sluice.dev";
    public static final String VERSION = "v1alpha1";
    /** Who asked for the object, stamped by the admission webhook from the request's userInfo. */
    public static final String REQUESTED_BY = NAME + "/requested-by";
    /** The groups of who asked, comma-separated, stamped with {@link #REQUESTED_BY}. */
    public static final String REQUESTED_BY_GROUPS = NAME + "/requested-by-groups";
    /** The webhook's signature over the stamp: without a valid one, the actor counts as unverified. */
    public static final String ATTRIBUTION = NAME + "/attribution";

    private SluiceGroup() {}
}
