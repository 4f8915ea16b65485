package io.linuxpatch.http;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.ServiceFailure;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.openapi.validation.ValidatorException;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure of the router into an envelope (API-2, API-4): validation errors name each
 * offending field, 404/405/413/414/415/431 get their codes, anything unexpected becomes a 500 with the
 * request id only — never a stack trace on the wire.
 */
final class FailureAnswers {

  private static final Logger LOG = LoggerFactory.getLogger(FailureAnswers.class);

  private final OpenApiDocument document;
  private final ValidationDetails validationDetails;
  /** Stack traces logged per interval; used on the verticle's event loop only. */
  static final int TRACES_PER_INTERVAL = 5;
  private int tracesThisInterval;
  private long untraced;

  private final ReportInterval interval;

  FailureAnswers(OpenApiDocument document, ReportInterval interval) {
    this.document = document;
    this.validationDetails = new ValidationDetails(document.json());
    this.interval = interval;
    interval.onEnd(this::report);
  }

  void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ApiFailure api) {
      Envelope.error(ctx, api.code(), api.getMessage(), api.details());
      return;
    }
    if (failure instanceof ReplyException reply) {
      ErrorCode code = ServiceFailure.codeOf(reply);
      if (code == ErrorCode.INTERNAL_ERROR) {
        internalError(ctx, failure);
      } else {
        Envelope.error(ctx, code, ServiceFailure.messageOf(reply), ServiceFailure.detailsOf(reply));
      }
      return;
    }
    ValidatorException validation = validationCause(failure);
    if (validation != null) {
      JsonObject details = validationDetails.of(validation);
      Envelope.error(ctx, ErrorCode.INVALID_REQUEST, "the request does not match the API: "
          + ValidationDetails.first(details), details);
      return;
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
    switch (status) {
      case 400 -> Envelope.error(ctx, ErrorCode.INVALID_REQUEST, "malformed request", new JsonObject());
      case 401, 403 -> forbidden(ctx);
      case 404 -> notFound(ctx);
      case 405 -> methodNotAllowed(ctx);
      case 413 -> Envelope.error(ctx, ErrorCode.PAYLOAD_TOO_LARGE, "the request body is larger than "
          + ServerSecurity.MAX_BODY_BYTES + " bytes", new JsonObject());
      case 414 -> Envelope.error(ctx, ErrorCode.URI_TOO_LONG, "the request URI is too long", new JsonObject());
      case 415 -> Envelope.error(ctx, ErrorCode.UNSUPPORTED_MEDIA_TYPE, "request bodies must be application/json",
          new JsonObject());
      case 431 -> Envelope.error(ctx, ErrorCode.HEADERS_TOO_LARGE, "the request headers are too large",
          new JsonObject());
      default -> internalError(ctx, failure);
    }
  }

  private static void forbidden(RoutingContext ctx) {
    AccessRefusal refusal = AccessRefusal.of(ctx);
    Envelope.error(ctx, ErrorCode.AUTHZ_FORBIDDEN, refusal.message(), refusal.details());
  }

  /**
   * Ends a log interval: says how many unexpected failures went unlogged in it, so that a client that found a
   * request making a 500 cannot flood the log with stack traces (at most {@value #TRACES_PER_INTERVAL} per
   * interval and HTTP verticle).
   */
  void report() {
    if (untraced > 0) {
      LOG.error("{} more request(s) failed unexpectedly in the last interval; their stack traces were not logged",
          untraced);
    }
    untraced = 0;
    tracesThisInterval = 0;
  }

  void notFound(RoutingContext ctx) {
    Envelope.error(ctx, ErrorCode.NOT_FOUND, "no such endpoint: " + ctx.request().path(), new JsonObject());
  }

  void methodNotAllowed(RoutingContext ctx) {
    Set<String> allowed = document.allowedMethods(ctx.request().path());
    if (allowed.isEmpty()) {
      notFound(ctx);
      return;
    }
    ctx.response().putHeader("Allow", String.join(", ", allowed));
    Envelope.error(ctx, ErrorCode.METHOD_NOT_ALLOWED, ctx.request().method().name() + " is not allowed here",
        new JsonObject().put("allow", new JsonArray(List.copyOf(allowed))));
  }

  private void internalError(RoutingContext ctx, Throwable failure) {
    String requestId = RequestIds.of(ctx);
    if (tracesThisInterval < TRACES_PER_INTERVAL) {
      tracesThisInterval++;
      LOG.error("request {} {} {} failed unexpectedly", requestId, ctx.request().method(), ctx.request().path(),
          failure);
    } else {
      untraced++;
    }
    interval.event();
    Envelope.error(ctx, ErrorCode.INTERNAL_ERROR, "unexpected internal error; quote request id " + requestId,
        new JsonObject());
  }

  private static ValidatorException validationCause(Throwable failure) {
    Throwable t = failure;
    while (t != null) {
      if (t instanceof ValidatorException v) {
        return v;
      }
      t = t.getCause();
    }
    return null;
  }
}
