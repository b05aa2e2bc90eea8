package dev.redmesh.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.ObjectMapper;

import dev.redmesh.web.ProblemType;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/** 401 and 403 written as problem documents, like every other error of the API, from inside the filter chain. */
public final class ProblemResponses {

    private final ObjectMapper json;

    public ProblemResponses(ObjectMapper json) {
        this.json = json;
    }

    public void unauthorized(HttpServletResponse response, String detail) throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer realm=\"redmesh\"");
        write(response, HttpStatus.UNAUTHORIZED, ProblemType.UNAUTHORIZED, detail);
    }

    public void forbidden(HttpServletResponse response, String detail) throws IOException {
        write(response, HttpStatus.FORBIDDEN, ProblemType.FORBIDDEN, detail);
    }

    /** Any problem document, for filters that answer before MVC does (size and rate limits). */
    public void write(HttpServletResponse response, HttpStatus status, ProblemType type, String detail) throws IOException {
        java.util.Map<String, Object> problem = new java.util.LinkedHashMap<>();
        problem.put("type", type.uri().toString());
        problem.put("title", type.title());
        problem.put("status", status.value());
        problem.put("detail", detail);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(problem));
    }
}
