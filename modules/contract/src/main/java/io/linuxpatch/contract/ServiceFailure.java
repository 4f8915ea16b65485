package io.linuxpatch.contract;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/**
 * How a request/reply service answers "no" on the event bus: a {@link ReplyException} whose failure code
 * is the HTTP status and whose message is {@code CODE: human text}. The HTTP verticle turns it back into
 * the envelope's error object with {@link #codeOf} and {@link #messageOf}.
 */
public final class ServiceFailure {

  private ServiceFailure() {}

  /** The exception a consumer passes to {@code message.fail}-style replies ({@code message.reply} cannot fail). */
  public static ReplyException of(ErrorCode code, String message) {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code.httpStatus(), code.name() + ": " + message);
  }

  /** Marks where the JSON details start in a failure message; a NUL never occurs in our texts. */
  private static final char DETAILS = '\u0000';

  /** Fails {@code message} with {@code code} and {@code text}. */
  public static void fail(Message<?> message, ErrorCode code, String text) {
    message.fail(code.httpStatus(), code.name() + ": " + text);
  }

  /** Fails {@code message} with {@code code}, {@code text} and the envelope's error details. */
  public static void fail(Message<?> message, ErrorCode code, String text, JsonObject details) {
    message.fail(code.httpStatus(), code.name() + ": " + text.replace(DETAILS, ' ') + DETAILS + details.encode());
  }

  /** The details a failure carries ({@link #fail(io.vertx.core.eventbus.Message, ErrorCode, String, JsonObject)}), else {}. */
  public static JsonObject detailsOf(Throwable failure) {
    String message = failure == null ? null : failure.getMessage();
    int at = message == null ? -1 : message.indexOf(DETAILS);
    if (!(failure instanceof ReplyException) || at < 0) {
      return new JsonObject();
    }
    try {
      return new JsonObject(message.substring(at + 1));
    } catch (RuntimeException notJson) {
      return new JsonObject();
    }
  }

  /** The error code carried by a failure, or {@code INTERNAL_ERROR} when it is not one of ours. */
  public static ErrorCode codeOf(Throwable failure) {
    if (!(failure instanceof ReplyException re)) {
      return ErrorCode.INTERNAL_ERROR;
    }
    // Only a recipient's own failure carries our "CODE: text" message; Vert.x' timeout and no-handler
    // messages contain colons too and must not be read as codes.
    switch (re.failureType()) {
      case TIMEOUT:
        return ErrorCode.TIMEOUT;
      case NO_HANDLERS:
        return ErrorCode.SERVICE_UNAVAILABLE;
      default:
        break;
    }
    String message = re.getMessage();
    int colon = message == null ? -1 : message.indexOf(':');
    if (colon <= 0) {
      return ErrorCode.INTERNAL_ERROR;
    }
    try {
      return ErrorCode.valueOf(message.substring(0, colon));
    } catch (IllegalArgumentException notOurs) {
      return ErrorCode.INTERNAL_ERROR;
    }
  }

  /** The human text of a failure produced by {@link #fail}; a generic text for anything else. */
  public static String messageOf(Throwable failure) {
    ErrorCode code = codeOf(failure);
    if (failure instanceof ReplyException re && re.getMessage() != null
        && re.getMessage().startsWith(code.name() + ": ")) {
      String text = re.getMessage().substring(code.name().length() + 2);
      int at = text.indexOf(DETAILS);
      return at < 0 ? text : text.substring(0, at);
    }
    return switch (code) {
      case TIMEOUT -> "the component that owns this request did not answer in time";
      case SERVICE_UNAVAILABLE -> "the component that owns this request is not running";
      default -> "unexpected internal error";
    };
  }
}
