package dev.sluice.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.plan.PlanCodec;
import dev.sluice.plan.PlanCompiler;
import dev.sluice.plan.PlanFormat;
import dev.sluice.plan.PlanParseException;
import dev.sluice.plan.PlanTooLargeException;
import dev.sluice.plan.Violation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A RestorePlan object's spec as a plan: the same strict reader and compiler as the REST API, so
 * the same fields, validation and defaults. The stored plan is named after the object: a spec
 * without {@code name} gets the object's name, and one with another name is a violation. Pointers
 * of violations point into the spec, exactly as the REST API's point into the document. Pure.
 */
public final class PlanSpecs {
    /** Kubernetes caps a condition's message at 32 KiB. */
    static final int MAX_MESSAGE_CHARS = 32_000;

    private PlanSpecs() {}

    /** The compiled plan, or every violation (a spec that cannot even be read is one violation). */
    public static PlanCompiler.Result compile(String objectName, JsonNode spec) {
        if (spec == null || spec.isNull() || spec.isMissingNode()) {
            return new PlanCompiler.Invalid(
                    List.of(new Violation("", "required", "spec is required: it is the plan document")));
        }
        if (!spec.isObject()) {
            return new PlanCompiler.Invalid(
                    List.of(new Violation("", "malformed", "spec must be an object: the plan document")));
        }
        ObjectNode document = ((ObjectNode) spec).deepCopy();
        JsonNode name = document.get("name");
        if (name == null || name.isNull()) {
            document.put("name", objectName);
        } else if (!name.isTextual() || !name.asText().equals(objectName)) {
            return new PlanCompiler.Invalid(List.of(new Violation(
                    "/name",
                    "matches-metadata-name",
                    "must equal metadata.name (\"" + objectName + "\") or be left out: the stored plan is named"
                            + " after the object")));
        }
        try {
            return PlanCompiler.compile(
                    PlanCodec.read(document.toString().getBytes(StandardCharsets.UTF_8), PlanFormat.JSON));
        } catch (PlanParseException e) {
            return new PlanCompiler.Invalid(List.of(new Violation(e.pointer(), "malformed", e.getMessage())));
        } catch (PlanTooLargeException e) {
            return new PlanCompiler.Invalid(List.of(new Violation("", "max-length", e.getMessage())));
        }
    }

    /** Every violation in one line, as a condition's message: {@code pointer: message [rule]; …}. */
    public static String message(List<Violation> violations) {
        String all = violations.size()
                + (violations.size() == 1 ? " violation: " : " violations: ")
                + violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
        return all.length() <= MAX_MESSAGE_CHARS ? all : all.substring(0, MAX_MESSAGE_CHARS - 1) + "…";
    }
}
