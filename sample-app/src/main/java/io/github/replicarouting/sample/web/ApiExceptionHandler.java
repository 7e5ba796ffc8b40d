package io.github.replicarouting.sample.web;

import io.github.replicarouting.sample.ticketing.EventNotFoundException;
import io.github.replicarouting.sample.ticketing.SoldOutException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Answers errors with RFC 9457 problem details. Extending {@link ResponseEntityExceptionHandler} makes Spring MVC's own
 * errors (bad request bodies, missing parameters, unknown paths) bodies written by this request too, rather than a
 * container error page, so they carry the routing headers as well.
 *
 * @since 0.1.0
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	@ExceptionHandler
	ProblemDetail eventNotFound(EventNotFoundException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
	}

	@ExceptionHandler
	ProblemDetail soldOut(SoldOutException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
	}

}
