package dev.redmesh.web;

import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code PATCH} with a JSON merge patch (RFC 7386): the fields given replace the stored ones, an
 * object merges into the stored object, {@code null} removes (what the matching {@code PUT} field
 * does when absent), every field not given stays. The result is read as the resource's {@code PUT}
 * body and goes through the same validation, so a patch is never a way around a rule. What a CI
 * script owns (a cluster's seeds and mesh) it can set without knowing — or erasing — what an
 * operator set (a region's display name and cloud, a cluster's capture).
 */
@org.springframework.stereotype.Component
public final class MergePatch {

    /** The media type RFC 7386 names; plain {@code application/json} is accepted too. */
    public static final String MEDIA_TYPE = "application/merge-patch+json";

    private final ObjectMapper json;
    private final jakarta.validation.Validator validator;

    MergePatch(ObjectMapper json, jakarta.validation.Validator validator) {
        this.json = json;
        this.validator = validator;
    }

    /**
     * @param current the resource as its {@code PUT} body would state it now
     * @return the body with the patch applied; a 400 for a patch that is not an object, names a field
     *         the body does not have, gives one a value of the wrong type, or breaks the body's
     *         constraints (what {@code @Valid} checks on the {@code PUT})
     */
    public <T> T apply(T current, JsonNode patch, Class<T> type) {
        if (patch == null || !patch.isObject()) {
            throw ApiException.invalid("body", "must be a JSON object: a merge patch (RFC 7386) of the fields to change");
        }
        JsonNode merged = merge(json.valueToTree(current), patch);
        T body;
        try {
            body = json.treeToValue(merged, type);
        } catch (UnrecognizedPropertyException unknown) {
            throw ApiException.invalid(unknown.getPropertyName(), "is not a field of this resource");
        } catch (JacksonException wrong) {
            throw ApiException.invalid(path(wrong), "has the wrong type or shape");
        }
        java.util.Set<jakarta.validation.ConstraintViolation<T>> violations = validator.validate(body);
        if (!violations.isEmpty()) {
            throw ApiException.invalid(violations.stream().map(v -> new FieldProblem(v.getPropertyPath().toString(),
                    v.getMessage())).sorted(java.util.Comparator.comparing(FieldProblem::field)).toList());
        }
        return body;
    }

    static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
                : tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), merge(result.get(field.getKey()), field.getValue()));
            }
        }
        return result;
    }

    private static String path(JacksonException e) {
        String path = ApiExceptionHandler.jsonPath(e);
        return path.isEmpty() ? "body" : path;
    }
}
