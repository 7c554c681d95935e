package dev.sluice.drills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded ways to spoil a document: a value replaced by something hostile (wrong type, huge,
 * negative, non-finite, long, control characters, deep nesting), a field removed or unknown, an
 * array element duplicated; then, on the text, truncation, a byte flipped, a key given twice. The
 * same seed gives the same document, so a failure is reproduced from its seed alone.
 */
final class Mutations {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final YAMLMapper YAML = new YAMLMapper();

    private Mutations() {}

    /** A hostile JSON value. */
    static JsonNode hostileValue(SplittableRandom random) {
        return switch (random.nextInt(22)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.numberNode(-1);
            case 2 -> NODES.numberNode(0);
            case 3 -> NODES.numberNode(Long.MAX_VALUE);
            case 4 -> NODES.numberNode(new BigDecimal("1e400"));
            case 5 -> NODES.numberNode(-1e308);
            case 6 -> NODES.numberNode(new BigDecimal("123456789012345678901234567890"));
            case 7 -> NODES.numberNode(0.5);
            case 8 -> NODES.numberNode(new BigDecimal("-0.0000000000000001"));
            case 9 -> NODES.textNode("NaN");
            case 10 -> NODES.textNode("Infinity");
            case 11 -> NODES.textNode(hostileText(random));
            case 12 -> NODES.booleanNode(random.nextBoolean());
            case 13 -> NODES.arrayNode().add(hostileText(random));
            case 14 -> NODES.objectNode().put("x", 1);
            case 15 -> deep(random.nextInt(1, 300));
            case 16 -> NODES.textNode("a".repeat(random.nextInt(1, 70_000)));
            case 17 -> NODES.numberNode(Integer.MIN_VALUE);
            case 18 -> NODES.numberNode(random.nextInt(-1000, 100_000));
            case 19 -> NODES.numberNode(random.nextDouble() * 2);
            case 20 -> NODES.textNode("");
            default -> NODES.textNode("2026-12-01T00:00:00Z");
        };
    }

    /** Text with the characters that break naive readers and stores. */
    static String hostileText(SplittableRandom random) {
        String[] parts = {
            "\u0000",
            "\u0001",
            "\u001f",
            "\u007f",
            "\ud83d\ude00",
            "\ud800",
            "\u202e",
            "\ufeff",
            "é",
            "\n",
            "\r\n",
            "\t",
            "'",
            "\"",
            "\\",
            "%00",
            "%",
            "../",
            "/",
            "*",
            "<script>",
            "${x}",
            "{{x}}",
            "a",
            "Z",
            "-",
            ".",
            " ",
            "名前",
            "\u0085",
            "\u2028"
        };
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(1, 12);
        for (int i = 0; i < length; i++) {
            text.append(parts[random.nextInt(parts.length)]);
        }
        return text.toString();
    }

    private static JsonNode deep(int depth) {
        JsonNode node = NODES.numberNode(1);
        for (int i = 0; i < depth; i++) {
            node = i % 2 == 0 ? NODES.arrayNode().add(node) : NODES.objectNode().set("d", node);
        }
        return node;
    }

    /** {@code document} (not changed) with one to three structural mutations. */
    static JsonNode mutate(JsonNode document, SplittableRandom random) {
        JsonNode copy = document.deepCopy();
        int count = random.nextInt(1, 4);
        for (int i = 0; i < count; i++) {
            List<JsonNode> containers = new ArrayList<>();
            collect(copy, containers);
            if (containers.isEmpty()) {
                return hostileValue(random); // a scalar document: replace it
            }
            JsonNode target = containers.get(random.nextInt(containers.size()));
            if (target instanceof ObjectNode object) {
                List<String> names = new ArrayList<>();
                object.fieldNames().forEachRemaining(names::add);
                int what = random.nextInt(4);
                if (names.isEmpty() || what == 0) {
                    object.set(random.nextBoolean() ? "unknownField" : hostileText(random), hostileValue(random));
                } else if (what == 1) {
                    object.remove(names.get(random.nextInt(names.size())));
                } else {
                    object.set(names.get(random.nextInt(names.size())), hostileValue(random));
                }
            } else if (target instanceof ArrayNode array) {
                int what = random.nextInt(4);
                if (array.isEmpty() || what == 0) {
                    array.add(hostileValue(random));
                } else if (what == 1) {
                    array.add(array.get(random.nextInt(array.size())).deepCopy());
                } else if (what == 2) {
                    array.remove(random.nextInt(array.size()));
                } else {
                    array.set(random.nextInt(array.size()), hostileValue(random));
                }
            }
        }
        return copy;
    }

    private static void collect(JsonNode node, List<JsonNode> containers) {
        if (node.isContainerNode() && containers.size() < 10_000) {
            containers.add(node);
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                collect(it.next(), containers);
            }
        }
    }

    /** The document as JSON or YAML text, sometimes spoiled as text. */
    static byte[] text(JsonNode document, boolean yaml, SplittableRandom random) {
        String text;
        try {
            text = yaml ? YAML.writeValueAsString(document) : document.toString();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        switch (random.nextInt(8)) {
            case 0 -> {
                return java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            }
            case 1 -> {
                byte[] flipped = bytes.clone();
                if (flipped.length > 0) {
                    flipped[random.nextInt(flipped.length)] = (byte) random.nextInt(256);
                }
                return flipped;
            }
            case 2 -> {
                return duplicateKey(text, random).getBytes(StandardCharsets.UTF_8);
            }
            case 3 -> {
                // nesting deeper than a tree can be written (Jackson's writers stop at 1000 levels)
                int depth = random.nextInt(900, 5000);
                String nested = yaml ? text : "{\"d\":".repeat(depth) + text + "}".repeat(depth);
                return nested.getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                return bytes;
            }
        }
    }

    /** A key of the top-level object given a second time. */
    private static String duplicateKey(String json, SplittableRandom random) {
        String[] keys = {"name", "reason", "count", "text", "services", "plan", "tier"};
        if (json.startsWith("---\n")) {
            return "---\n" + keys[random.nextInt(keys.length)] + ": 1\n" + json.substring(4);
        }
        int brace = json.indexOf('{');
        if (brace != 0) {
            return json;
        }
        return "{\"" + keys[random.nextInt(keys.length)] + "\": 1, " + json.substring(brace + 1);
    }

    /** The object form of {@code fields}, for bodies built here. */
    static ObjectNode object(Map<String, Object> fields) {
        ObjectNode node = NODES.objectNode();
        fields.forEach((k, v) -> node.set(
                k,
                com.fasterxml.jackson.databind.json.JsonMapper.builder().build().valueToTree(v)));
        return node;
    }
}
