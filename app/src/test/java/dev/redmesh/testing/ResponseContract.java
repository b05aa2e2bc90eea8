package dev.redmesh.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every JSON answer an IT receives from {@code /api/} is checked against the OpenAPI document the
 * dashboard's types are generated from ({@code web-ui/openapi.json}, itself checked against the live
 * document by {@code OpenApiDocumentIT}): a required field missing, a {@code null} where the document
 * promises a value, or a value of the wrong type fails the test that got it. So the whole IT suite,
 * not one hand-picked scenario, proves the generated types true.
 */
final class ResponseContract {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path DOCUMENT = Path.of("..", "web-ui", "openapi.json");
    private static volatile ResponseContract loaded;

    private final JsonNode document;
    private final List<Route> routes = new ArrayList<>();

    private record Route(String method, Pattern path, JsonNode schema) {
    }

    private ResponseContract(JsonNode document) {
        this.document = document;
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            Pattern pattern = Pattern.compile(path.getKey().replaceAll("\\{[^}]+}", "[^/]+"));
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                JsonNode responses = operation.getValue().path("responses");
                for (Map.Entry<String, JsonNode> response : responses.properties()) {
                    if (!response.getKey().startsWith("2")) {
                        continue;
                    }
                    for (Map.Entry<String, JsonNode> media : response.getValue().path("content").properties()) {
                        if (media.getKey().contains("json")) {
                            routes.add(new Route(operation.getKey().toUpperCase(Locale.ROOT), pattern,
                                    media.getValue().get("schema")));
                        }
                    }
                }
            }
        }
    }

    static ResponseContract get() {
        ResponseContract contract = loaded;
        if (contract == null) {
            try {
                contract = new ResponseContract(JSON.readTree(Files.readString(DOCUMENT)));
            } catch (IOException e) {
                throw new UncheckedIOException("the API document " + DOCUMENT.toAbsolutePath() + " is needed", e);
            }
            loaded = contract;
        }
        return contract;
    }

    /** Throws when {@code body}, the 2xx JSON answer to {@code method path}, breaks the document. */
    void check(String method, String path, String body) {
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        JsonNode schema = routes.stream()
                .filter(r -> r.method.equals(method) && r.path.matcher(bare).matches())
                .map(Route::schema).findFirst().orElse(null);
        if (schema == null || body.isEmpty()) {
            return; // not in the document (actuator, /v3/api-docs) or no body
        }
        List<String> problems = new ArrayList<>();
        check(schema, JSON.readTree(body), "$", problems);
        if (!problems.isEmpty()) {
            throw new AssertionError(method + " " + path + " answered outside web-ui/openapi.json: "
                    + String.join("; ", problems.subList(0, Math.min(5, problems.size()))));
        }
    }

    private void check(JsonNode schema, JsonNode value, String at, List<String> problems) {
        if (schema == null || schema.isEmpty()) {
            return; // any value
        }
        if (schema.has("$ref")) {
            check(resolve(schema.get("$ref").asString()), value, at, problems);
            return;
        }
        if (schema.has("anyOf") || schema.has("oneOf")) {
            JsonNode options = schema.has("anyOf") ? schema.get("anyOf") : schema.get("oneOf");
            for (JsonNode option : options) {
                List<String> inner = new ArrayList<>();
                check(option, value, at, inner);
                if (inner.isEmpty()) {
                    return;
                }
            }
            problems.add(at + ": matches none of " + options.size() + " alternatives");
            return;
        }
        Set<String> types = types(schema);
        if (types.isEmpty()) {
            return; // "any JSON value": null too
        }
        if (value.isNull()) {
            if (!types.contains("null")) {
                problems.add(at + ": null, but the document does not say it may be");
            }
            return;
        }
        String actual = typeOf(value);
        if (!types.contains(actual) && !(actual.equals("integer") && types.contains("number"))) {
            problems.add(at + ": a " + actual + ", the document says " + types);
            return;
        }
        if (schema.has("enum") && value.isString()) {
            boolean listed = false;
            for (JsonNode option : schema.get("enum")) {
                listed |= option.asString().equals(value.asString());
            }
            if (!listed) {
                problems.add(at + ": \"" + value.asString() + "\" is not one of " + schema.get("enum"));
            }
        }
        if (actual.equals("array")) {
            int i = 0;
            for (JsonNode item : value) {
                check(schema.get("items"), item, at + "[" + i++ + "]", problems);
            }
        } else if (actual.equals("object")) {
            JsonNode properties = schema.path("properties");
            for (JsonNode name : schema.path("required")) {
                if (!value.has(name.asString())) {
                    problems.add(at + "." + name.asString() + ": required, missing");
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = value.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode property = properties.get(field.getKey());
                if (property == null) {
                    property = schema.get("additionalProperties");
                }
                if (property != null && property.isObject()) {
                    check(property, field.getValue(), at + "." + field.getKey(), problems);
                }
            }
        }
    }

    private static Set<String> types(JsonNode schema) {
        Set<String> types = new HashSet<>();
        JsonNode type = schema.get("type");
        if (type != null && type.isArray()) {
            type.forEach(t -> types.add(t.asString()));
        } else if (type != null) {
            types.add(type.asString());
        }
        return types;
    }

    private static String typeOf(JsonNode value) {
        if (value.isObject()) {
            return "object";
        }
        if (value.isArray()) {
            return "array";
        }
        if (value.isIntegralNumber()) {
            return "integer";
        }
        if (value.isNumber()) {
            return "number";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        return "string";
    }

    private JsonNode resolve(String ref) {
        JsonNode node = document;
        for (String part : ref.substring(2).split("/")) {
            node = node.get(part);
        }
        return node;
    }
}
