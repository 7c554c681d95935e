package dev.sluice.k8s.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import dev.sluice.k8s.Attribution;
import dev.sluice.k8s.operator.OperatorSettings;
import dev.sluice.k8s.resource.SluiceGroup;
import dev.sluice.k8s.store.AttributionKeys;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The mutating admission webhook: the API server sends it every create of a RestoreRun or a
 * RestoreAction (and every create and update of a RestorePlan) as an AdmissionReview, and it
 * answers "allowed", with a JSON patch that stamps the requesting user and groups from the review's
 * {@code userInfo} into annotations, signed ({@link Attribution}). The reconciler cannot see who
 * created an object; the audit records this stamp as the actor. On an update of a RestoreRun or a
 * RestoreAction the creator's stamp is kept (written back from the old object), so it cannot be
 * edited afterwards. It never refuses an object: validation is the reconcilers' job, and an
 * outage of the webhook must not stop anyone from acting (the actor is then unverified). Served by
 * every replica; it needs the database only once, to read the signing key.
 */
@Path("/k8s/admission")
@Tag(name = "kubernetes")
@PermitAll
public class AdmissionWebhook {
    static final Set<String> KINDS = Set.of("RestorePlan", "RestoreRun", "RestoreAction");
    /** Kinds whose stamp names their creator for good (an update keeps it). */
    static final Set<String> STAMPED_ONCE = Set.of("RestoreRun", "RestoreAction");

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AttributionKeys keys;

    @Inject
    OperatorSettings settings;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Mutating admission webhook: stamps who created a RestoreRun or RestoreAction")
    public JsonNode review(String body) {
        if (!settings.enabled() || !settings.webhookEnabled()) {
            throw new ProblemException(Problem.of(
                    404,
                    "not-found",
                    "Not found",
                    "the admission webhook is off (sluice.operator.enabled and sluice.operator.webhook-enabled)"));
        }
        JsonNode review = parse(body);
        JsonNode request = review.path("request");
        String uid = request.path("uid").asText("");
        if (!request.isObject() || uid.isEmpty()) {
            throw malformed("an AdmissionReview needs request.uid");
        }
        String kind = request.path("kind").path("kind").asText("");
        String operation = request.path("operation").asText("");
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("uid", uid);
        response.put("allowed", true);
        JsonNode object = request.path("object");
        if (KINDS.contains(kind) && object.isObject() && (operation.equals("CREATE") || operation.equals("UPDATE"))) {
            List<JsonNode> patch = operation.equals("UPDATE") && STAMPED_ONCE.contains(kind)
                    ? keepStamp(object, request.path("oldObject"))
                    : stamp(kind, request, object);
            if (!patch.isEmpty()) {
                ArrayNode ops = JsonNodeFactory.instance.arrayNode().addAll(patch);
                response.put("patchType", "JSONPatch");
                response.put(
                        "patch",
                        Base64.getEncoder().encodeToString(ops.toString().getBytes(StandardCharsets.UTF_8)));
            }
        }
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.put("apiVersion", review.path("apiVersion").asText("admission.k8s.io/v1"));
        answer.put("kind", "AdmissionReview");
        answer.set("response", response);
        return answer;
    }

    private List<JsonNode> stamp(String kind, JsonNode request, JsonNode object) {
        JsonNode userInfo = request.path("userInfo");
        String user = userInfo.path("username").asText("");
        if (user.isEmpty()) {
            return List.of(); // nothing to attribute: the actor stays unverified
        }
        List<String> groupList = new ArrayList<>();
        userInfo.path("groups").forEach(g -> groupList.add(g.asText()));
        String groups = String.join(",", groupList);
        JsonNode meta = object.path("metadata");
        String namespace =
                request.path("namespace").asText(meta.path("namespace").asText(""));
        String name = Attribution.subjectName(
                meta.path("name").asText(""), meta.path("generateName").asText(null));
        Map<String, String> stamp = new LinkedHashMap<>();
        stamp.put(SluiceGroup.REQUESTED_BY, user);
        stamp.put(SluiceGroup.REQUESTED_BY_GROUPS, groups);
        stamp.put(SluiceGroup.ATTRIBUTION, Attribution.sign(keys.key(), kind, namespace, name, user, groups));
        return setAnnotations(object, stamp);
    }

    /** An update may not change who created the object: the old object's stamp is written back. */
    private static List<JsonNode> keepStamp(JsonNode object, JsonNode oldObject) {
        JsonNode old = oldObject.path("metadata").path("annotations");
        JsonNode now = object.path("metadata").path("annotations");
        Map<String, String> stamp = new LinkedHashMap<>();
        List<JsonNode> removals = new ArrayList<>();
        for (String key : List.of(SluiceGroup.REQUESTED_BY, SluiceGroup.REQUESTED_BY_GROUPS, SluiceGroup.ATTRIBUTION)) {
            JsonNode was = old.path(key);
            JsonNode is = now.path(key);
            if (was.isTextual() && !was.equals(is)) {
                stamp.put(key, was.asText());
            } else if (!was.isTextual() && is.isTextual()) {
                ObjectNode op = JsonNodeFactory.instance.objectNode();
                op.put("op", "remove");
                op.put("path", "/metadata/annotations/" + escape(key));
                removals.add(op);
            }
        }
        List<JsonNode> patch = new ArrayList<>(stamp.isEmpty() ? List.of() : setAnnotations(object, stamp));
        patch.addAll(removals);
        return patch;
    }

    private static List<JsonNode> setAnnotations(JsonNode object, Map<String, String> values) {
        List<JsonNode> ops = new ArrayList<>();
        JsonNode meta = object.path("metadata");
        if (!meta.path("annotations").isObject()) {
            ObjectNode all = JsonNodeFactory.instance.objectNode();
            values.forEach(all::put);
            ObjectNode op = JsonNodeFactory.instance.objectNode();
            op.put("op", "add");
            op.put("path", "/metadata/annotations");
            op.set("value", all);
            ops.add(op);
            return ops;
        }
        values.forEach((key, value) -> {
            ObjectNode op = JsonNodeFactory.instance.objectNode();
            op.put("op", "add"); // add replaces an existing member: a hand-written stamp is overwritten
            op.put("path", "/metadata/annotations/" + escape(key));
            op.put("value", value);
            ops.add(op);
        });
        return ops;
    }

    /** RFC 6901: {@code ~} is {@code ~0}, {@code /} is {@code ~1}. */
    static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw malformed("the body is empty; send an AdmissionReview");
        }
        try {
            JsonNode review = JSON.readTree(body);
            if (review == null
                    || !review.isObject()
                    || !"AdmissionReview".equals(review.path("kind").asText())) {
                throw malformed("the body is not an AdmissionReview (kind must be AdmissionReview)");
            }
            return review;
        } catch (JsonProcessingException e) {
            throw malformed("the body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static ProblemException malformed(String detail) {
        return new ProblemException(Problem.of(400, "malformed-admission-review", "Malformed AdmissionReview", detail));
    }
}
