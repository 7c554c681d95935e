package dev.sluice.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Plan documents for API tests, derived from the shipped reference plan. */
public final class PlanDocuments {
    public static final Path REFERENCE_PLAN = Path.of("examples/reference-plan.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();

    private PlanDocuments() {}

    public static String referenceYaml() {
        try {
            return Files.readString(REFERENCE_PLAN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reference plan as a JSON tree, renamed. */
    public static ObjectNode reference(String name) {
        try {
            ObjectNode plan = (ObjectNode) new YAMLMapper().readTree(referenceYaml());
            plan.put("name", name);
            return plan;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reference plan renamed and changed by {@code edit}, as JSON text. */
    public static String referenceJson(String name, Consumer<ObjectNode> edit) {
        ObjectNode plan = reference(name);
        edit.accept(plan);
        return plan.toString();
    }

    public static String referenceJson(String name) {
        return referenceJson(name, p -> {});
    }

    /** The object at a JSON pointer, e.g. {@code /services/2}. */
    public static ObjectNode at(ObjectNode plan, String pointer) {
        return (ObjectNode) plan.at(pointer);
    }

    public static ArrayNode arrayAt(ObjectNode plan, String pointer) {
        return (ArrayNode) plan.at(pointer);
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
