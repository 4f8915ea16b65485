package io.linuxpatch.http;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One text message a WebSocket client sends to {@code /api/v1/ws/jobs} (JOB-9), parsed strictly: a
 * subscription to a job, its end, every job, a ping — or the reason it could not be used, which the socket
 * answers with an {@code error} frame while staying open.
 */
sealed interface JobEventsMessage {

  /** Longer messages are refused with {@code MESSAGE_TOO_LONG}; the legitimate ones are under 100 characters. */
  int MAX_CHARS = 4096;

  /** {@code {"type":"subscribe","job_id"}}; the id is in canonical lower-case form. */
  record Subscribe(String jobId) implements JobEventsMessage {}

  /** {@code {"type":"unsubscribe","job_id"}}; the id is in canonical lower-case form. */
  record Unsubscribe(String jobId) implements JobEventsMessage {}

  /** {@code {"type":"subscribe_all"}}. */
  record SubscribeAll() implements JobEventsMessage {}

  /** {@code {"type":"ping"}}. */
  record Ping() implements JobEventsMessage {}

  /** A message that cannot be used: {@code code} and {@code message} go into the error frame. */
  record Invalid(String code, String message) implements JobEventsMessage {

    /** The {@code error} frame that answers this message. */
    JsonObject frame() {
      return new JsonObject().put("type", "error").put("code", code).put("message", message);
    }
  }

  /** A UUID in its 8-4-4-4-12 hexadecimal form ({@link java.util.UUID#fromString} also takes shorter groups). */
  Pattern UUID_FORM = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  static JobEventsMessage parse(String text) {
    if (text.length() > MAX_CHARS) {
      return new Invalid("MESSAGE_TOO_LONG", "messages are at most " + MAX_CHARS + " characters");
    }
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      return new Invalid("INVALID_JSON", "a message is one JSON object, e.g. {\"type\":\"ping\"}");
    }
    Object type = json.getValue("type");
    if ("subscribe".equals(type) || "unsubscribe".equals(type)) {
      Invalid extra = onlyFields(json, Set.of("type", "job_id"));
      if (extra != null) {
        return extra;
      }
      Object jobId = json.getValue("job_id");
      if (!(jobId instanceof String id) || !UUID_FORM.matcher(id).matches()) {
        return new Invalid("INVALID_JOB_ID", type + " needs job_id, a job's UUID");
      }
      String canonical = id.toLowerCase(Locale.ROOT);
      return "subscribe".equals(type) ? new Subscribe(canonical) : new Unsubscribe(canonical);
    }
    if ("subscribe_all".equals(type) || "ping".equals(type)) {
      Invalid extra = onlyFields(json, Set.of("type"));
      if (extra != null) {
        return extra;
      }
      return "ping".equals(type) ? new Ping() : new SubscribeAll();
    }
    return new Invalid("UNKNOWN_TYPE", "type must be subscribe, unsubscribe, subscribe_all or ping");
  }

  private static Invalid onlyFields(JsonObject json, Set<String> allowed) {
    for (String field : json.fieldNames()) {
      if (!allowed.contains(field)) {
        String shown = field.length() > 64 ? field.substring(0, 64) + "…" : field;
        return new Invalid("UNKNOWN_FIELD", json.getString("type") + " takes only " + allowed.stream().sorted().toList()
            + ", not " + shown);
      }
    }
    return null;
  }
}
