package dev.redmesh.web;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error the API returns is an {@code application/problem+json} document with a stable
 * {@link ProblemType}; field errors are listed under {@code errors}. Bad input is never a 500.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> handleApi(ApiException ex, WebRequest request) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(ex.status(), ex.getMessage());
        if (!ex.fieldProblems().isEmpty()) {
            body.setProperty("errors", ex.fieldProblems());
        }
        return handleExceptionInternal(ex, body, new HttpHeaders(), ex.status(), request);
    }

    @ExceptionHandler(org.springframework.dao.DataAccessException.class)
    ResponseEntity<Object> handleDataAccess(org.springframework.dao.DataAccessException ex, WebRequest request) {
        String sqlState = sqlState(ex);
        if (sqlState != null && sqlState.startsWith("22")) {
            // a data exception: a value the database cannot hold (too long, a NUL character) is the
            // client's mistake, not a race; validation should have caught it, so the log says which
            log.warn("A value the database refused got past validation: {}", ex.getMostSpecificCause().getMessage());
            return handleApi(ApiException.invalid("body", "holds a value that cannot be stored (too long, or a control character)"),
                    request);
        }
        if (ex instanceof DataIntegrityViolationException || ex instanceof OptimisticLockingFailureException) {
            // Two requests raced on the same resource; the loser changed nothing and may retry.
            log.info("Concurrent modification refused: {}", ex.getMessage());
            ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                    "The resource was changed by a concurrent request; nothing was stored. Retry the request.");
            return handleExceptionInternal(ex, body, new HttpHeaders(), HttpStatus.CONFLICT, request);
        }
        if (ex instanceof org.springframework.dao.TransientDataAccessException
                || ex instanceof org.springframework.dao.DataAccessResourceFailureException
                || ex instanceof org.springframework.dao.RecoverableDataAccessException) {
            log.warn("Database unavailable serving {}: {}", request.getDescription(false), ex.getMostSpecificCause().toString());
            return handleApi(ApiException.unavailable("the database is unavailable; nothing was changed. Retry shortly."), request);
        }
        return handleUnexpected(ex, request);
    }

    private static String sqlState(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> handleTypeMismatch(MethodArgumentTypeMismatchException ex, WebRequest request) {
        FieldProblem problem = new FieldProblem(ex.getName(), "invalid value '" + ex.getValue() + "'");
        return handleApi(ApiException.invalid(List.of(problem)), request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> handleUnexpected(Exception ex, WebRequest request) {
        log.error("Unexpected error serving {}", request.getDescription(false), ex);
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "An internal error occurred; it has been logged.");
        return handleExceptionInternal(ex, body, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> problems = new ArrayList<>();
        for (FieldError error : ex.getBindingResult().getFieldErrors()) {
            problems.add(new FieldProblem(error.getField(), error.getDefaultMessage()));
        }
        ex.getBindingResult().getGlobalErrors()
                .forEach(error -> problems.add(new FieldProblem(error.getObjectName(), error.getDefaultMessage())));
        return handleApi(ApiException.invalid(problems), request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> problems = new ArrayList<>();
        ex.getParameterValidationResults().forEach(result -> {
            String name = result.getMethodParameter().getParameterName();
            result.getResolvableErrors().forEach(error -> problems.add(new FieldProblem(name, error.getDefaultMessage())));
        });
        return handleApi(ApiException.invalid(problems), request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, describeUnreadable(ex));
        return handleExceptionInternal(ex, body, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        ProblemDetail problem = body instanceof ProblemDetail detail
                ? detail
                : ProblemDetail.forStatusAndDetail(statusCode, ex.getMessage());
        ProblemType type = typeOf(ex, statusCode);
        problem.setType(type.uri());
        problem.setTitle(type.title());
        // the headers Spring hands in for some exceptions (a 404 for an unknown path) are read-only
        HttpHeaders writable = new HttpHeaders();
        writable.putAll(headers);
        writable.setContentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON);
        return super.handleExceptionInternal(ex, problem, writable, statusCode, request);
    }

    private static ProblemType typeOf(Exception ex, HttpStatusCode status) {
        if (ex instanceof ApiException api) {
            return api.type();
        }
        if (ex instanceof HttpMessageNotReadableException) {
            return ProblemType.MALFORMED_REQUEST;
        }
        return switch (status.value()) {
            case 400 -> ProblemType.VALIDATION;
            case 404 -> ProblemType.NOT_FOUND;
            case 405 -> ProblemType.METHOD_NOT_ALLOWED;
            case 406 -> ProblemType.NOT_ACCEPTABLE;
            case 409 -> ProblemType.CONFLICT;
            case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            default -> status.is4xxClientError() ? ProblemType.VALIDATION : ProblemType.INTERNAL;
        };
    }

    private static String describeUnreadable(HttpMessageNotReadableException ex) {
        Throwable cause = ex.getMostSpecificCause();
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return "Unknown field '" + jsonPath(unknown) + "'";
        }
        if (cause instanceof InvalidFormatException invalid) {
            String weird = invalid.getValue() instanceof String text ? StrictJsonConfiguration.CleanStrings.problemOf(text) : null;
            // a string that is not clean text is described, not echoed back
            return "Field '" + jsonPath(invalid) + "' has an invalid value: " + (weird != null ? "it " + weird : invalid.getValue());
        }
        if (cause instanceof JacksonException json && !json.getPath().isEmpty()) {
            return "Field '" + jsonPath(json) + "' has the wrong type or shape";
        }
        if (cause instanceof JacksonException json) {
            return "Request body is not valid JSON: " + json.getOriginalMessage();
        }
        return "Request body is missing or unreadable";
    }

    /** A JSON path such as {@code seeds[1]} or {@code proxy.listenPort}; empty for the document itself. */
    static String jsonPath(JacksonException ex) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : ex.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

}
