package dev.redmesh.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Errors Tomcat answers itself, before a request reaches the application — a URI it will not decode
 * ({@code %00}, an encoded {@code /}), a malformed request line — as problem documents like every
 * other error, instead of Tomcat's HTML page. Errors the application produced already have a body
 * and are left alone.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        ProblemType type = status == 404 ? ProblemType.NOT_FOUND
                : status == 405 ? ProblemType.METHOD_NOT_ALLOWED
                : status >= 500 ? ProblemType.INTERNAL : ProblemType.MALFORMED_REQUEST;
        String detail = status >= 500 ? "An internal error occurred."
                : "The request was refused before it reached the API: its URI or form is not acceptable "
                + "(encoded '/' or NUL, invalid characters)";
        String body = "{\"type\":\"" + type.uri() + "\",\"title\":\"" + type.title() + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\"}";
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getReporter().write(body);
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // the connection is gone; nothing more to say
        }
    }
}
