package dev.sluice.k8s.reconcile;

import dev.sluice.k8s.Attribution;
import dev.sluice.k8s.resource.SluiceGroup;
import dev.sluice.k8s.store.AttributionKeys;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who acts through a Kubernetes object, for the audit log. The reconciler cannot see who created an
 * object; the admission webhook can, and stamps the requesting user (signed) into annotations. A
 * valid stamp names the actor; without one the actor is {@code unverified:<field manager>}, the
 * field manager being the client that wrote the object ({@code kubectl-client-side-apply}, …), which
 * anyone can choose and so proves nothing. Stateless and thread-safe.
 */
@ApplicationScoped
public class Actors {
    /** What the audit records of an object's actor and of the object. */
    public record Actor(String name, Map<String, Object> origin) {}

    @Inject
    AttributionKeys keys;

    public Actor of(HasMetadata object) {
        ObjectMeta meta = object.getMetadata();
        Map<String, String> annotations = meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
        String user = annotations.get(SluiceGroup.REQUESTED_BY);
        String groups = annotations.get(SluiceGroup.REQUESTED_BY_GROUPS);
        String signature = annotations.get(SluiceGroup.ATTRIBUTION);
        boolean verified = signature != null
                && (Attribution.verify(
                                keys.key(),
                                object.getKind(),
                                meta.getNamespace(),
                                meta.getName(),
                                user,
                                groups,
                                signature)
                        || (meta.getGenerateName() != null
                                && Attribution.verify(
                                        keys.key(),
                                        object.getKind(),
                                        meta.getNamespace(),
                                        Attribution.subjectName(null, meta.getGenerateName()),
                                        user,
                                        groups,
                                        signature)));
        Map<String, Object> origin = objectOrigin(object);
        origin.put("actorVerified", verified);
        if (verified) {
            if (groups != null && !groups.isEmpty()) {
                origin.put("groups", List.of(groups.split(",")));
            }
            return new Actor(truncate(user), origin);
        }
        String manager = fieldManager(meta);
        origin.put("fieldManager", manager);
        if (user != null) {
            origin.put("claimedRequestedBy", user); // written by hand or tampered with: not the actor
        }
        return new Actor(truncate("unverified:" + manager), origin);
    }

    /** The object as the audit names it: kind, {@code namespace/name}, uid, generation. */
    public static Map<String, Object> objectOrigin(HasMetadata object) {
        Map<String, Object> origin = new LinkedHashMap<>();
        origin.put("door", "kubernetes");
        origin.put("kind", object.getKind());
        origin.put(
                "object",
                object.getMetadata().getNamespace() + "/" + object.getMetadata().getName());
        origin.put("uid", object.getMetadata().getUid());
        return origin;
    }

    /** The client that first wrote the object (its managedFields), or "unknown". */
    static String fieldManager(ObjectMeta meta) {
        List<ManagedFieldsEntry> fields = meta.getManagedFields();
        if (fields != null) {
            for (ManagedFieldsEntry f : fields) {
                if (f.getManager() != null
                        && (f.getSubresource() == null || f.getSubresource().isEmpty())) {
                    return f.getManager();
                }
            }
        }
        return "unknown";
    }

    private static String truncate(String actor) {
        return actor.length() <= 200 ? actor : actor.substring(0, 200);
    }
}
