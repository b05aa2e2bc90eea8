package dev.redmesh.web;

import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;
import com.fasterxml.jackson.databind.type.TypeFactory;

/**
 * Makes the OpenAPI document say what the JSON really holds, so the dashboard's generated types are
 * exact: every field of a response is always written (Jackson writes nulls), so it is required;
 * it may be {@code null} only where the record component is annotated {@link Nullable}.
 * Schemas that are also request bodies keep swagger's reading (fields a client may leave out).
 *
 * <p>{@code OpenApiDocumentIT} checks real responses against the document, so a component that can
 * be null without saying so fails a test.
 */
@Component
class ApiSchemas implements ModelConverter, OpenApiCustomizer {

    private static final String JSON_NODE = "JsonNode";

    /**
     * Schema name → record, shared by every instance: swagger's converter chain is global to the JVM,
     * so the instance that resolves the models may be an earlier application context's, not the one
     * whose customizer reads this (several contexts in one test JVM showed it).
     */
    private static final Map<String, Class<?>> records = new ConcurrentHashMap<>();

    @Override
    public Schema<?> resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
        if (!chain.hasNext()) {
            return null;
        }
        Schema<?> schema = chain.next().resolve(type, context, chain);
        Class<?> raw = rawClass(type);
        if (schema != null && raw != null && raw.isRecord() && raw.getName().startsWith("dev.redmesh.")) {
            String name = schema.get$ref() != null ? schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1)
                    : schema.getName();
            if (name != null) {
                records.putIfAbsent(name, raw);
            }
        }
        return schema;
    }

    private static Class<?> rawClass(AnnotatedType type) {
        if (type.getType() instanceof Class<?> c) {
            return c;
        }
        if (type.getType() instanceof com.fasterxml.jackson.databind.JavaType j) {
            return j.getRawClass();
        }
        try {
            return TypeFactory.defaultInstance().constructType(type.getType()).getRawClass();
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
            return;
        }
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        anyJson(schemas);
        Set<String> requests = reachable(schemas, bodies(openApi, true));
        Set<String> responses = reachable(schemas, bodies(openApi, false));
        for (String name : responses) {
            Class<?> record = records.get(name);
            Schema schema = schemas.get(name);
            if (record == null || schema.getProperties() == null) {
                continue;
            }
            if (requests.contains(name)) {
                // sent and answered alike (a region's proxy settings): every field of a request may be
                // left out, so the answer may hold null in any of them; none is required
                schema.getProperties().replaceAll((property, value) -> isAnyJson((Schema) value) ? value : nullable((Schema) value));
                continue;
            }
            List<String> required = new ArrayList<>();
            for (RecordComponent component : record.getRecordComponents()) {
                Schema property = (Schema) schema.getProperties().get(component.getName());
                if (property == null) {
                    continue; // not serialized (@JsonIgnore)
                }
                required.add(component.getName());
                if (component.getAnnotatedType().isAnnotationPresent(Nullable.class) && !isAnyJson(property)) {
                    schema.getProperties().put(component.getName(), nullable(property));
                }
            }
            schema.setRequired(required);
        }
    }

    private static boolean isAnyJson(Schema property) {
        return property.get$ref() == null && property.getType() == null && property.getTypes() == null
                && property.getAnyOf() == null;
    }

    /**
     * A Jackson {@code JsonNode} field (event details, audit before/after) holds any JSON; swagger
     * would describe the node class's getters instead.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void anyJson(Map<String, Schema> schemas) {
        String ref = "#/components/schemas/" + JSON_NODE;
        if (schemas.remove(JSON_NODE) == null) {
            return;
        }
        for (Schema schema : schemas.values()) {
            if (schema.getProperties() == null) {
                continue;
            }
            Map<String, Schema> properties = schema.getProperties();
            properties.replaceAll((name, property) -> ref.equals(property.get$ref())
                    ? new JsonSchema().description("any JSON value") : property);
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema nullable(Schema property) {
        if (property.getAnyOf() != null) {
            return property; // made nullable already
        }
        if (property.get$ref() != null) {
            return new JsonSchema().anyOf(List.of(new JsonSchema().$ref(property.get$ref()), new JsonSchema().typesItem("null")));
        }
        Set<String> types = new LinkedHashSet<>();
        if (property.getType() != null) {
            types.add(property.getType());
        }
        if (property.getTypes() != null) {
            property.getTypes().stream().filter(t -> !"null".equals(t)).sorted().forEach(t -> types.add((String) t));
        }
        types.add("null"); // last, so the document is the same on every run
        property.setTypes(types);
        return property;
    }

    private static List<Object> bodies(OpenAPI openApi, boolean requests) {
        List<Object> roots = new ArrayList<>();
        if (openApi.getPaths() == null) {
            return roots;
        }
        openApi.getPaths().values().forEach(path -> path.readOperations().forEach((Operation op) -> {
            if (requests) {
                RequestBody body = op.getRequestBody();
                if (body != null) {
                    roots.add(body);
                }
            } else if (op.getResponses() != null) {
                for (ApiResponse response : op.getResponses().values()) {
                    roots.add(response);
                }
            }
        }));
        return roots;
    }

    @SuppressWarnings("rawtypes")
    private static Set<String> reachable(Map<String, Schema> schemas, List<Object> roots) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        roots.forEach(root -> refs(root, todo));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (seen.add(name) && schemas.containsKey(name)) {
                refs(schemas.get(name), todo);
            }
        }
        return seen;
    }

    /** Every {@code $ref} under a swagger model object, found through its getters' JSON form. */
    private static void refs(Object model, Deque<String> into) {
        String json = io.swagger.v3.core.util.Json31.pretty(model);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"\\$ref\" : \"#/components/schemas/([^\"]+)\"").matcher(json);
        while (m.find()) {
            into.push(m.group(1));
        }
    }
}
