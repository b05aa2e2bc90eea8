package dev.redmesh.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors that never reach a controller (unknown paths, requests the servlet container rejects)
 * are answered as ProblemDetail too, so clients parse one error shape everywhere.
 */
@RestController
@io.swagger.v3.oas.annotations.Hidden // the servlet container's error dispatch, not an API operation
class ProblemErrorController implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value && HttpStatus.resolve(value) != null
                ? HttpStatus.valueOf(value) : HttpStatus.INTERNAL_SERVER_ERROR;
        ProblemType type = switch (status) {
            case NOT_FOUND -> ProblemType.NOT_FOUND;
            case METHOD_NOT_ALLOWED -> ProblemType.METHOD_NOT_ALLOWED;
            case UNSUPPORTED_MEDIA_TYPE -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            case BAD_REQUEST -> ProblemType.MALFORMED_REQUEST;
            default -> status.is4xxClientError() ? ProblemType.VALIDATION : ProblemType.INTERNAL;
        };
        ProblemDetail problem = ProblemDetail.forStatus(status);
        problem.setType(type.uri());
        problem.setTitle(type.title());
        Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        problem.setDetail(status == HttpStatus.NOT_FOUND ? "No such resource: " + path : status.getReasonPhrase());
        if (path != null) {
            try {
                problem.setInstance(java.net.URI.create(path.toString()));
            } catch (IllegalArgumentException notAUri) {
                // a path the container could not parse; the problem stays useful without it
            }
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
