package io.linuxpatch.http;

import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code details.fields} of a request the OpenAPI document refuses (API-4): one entry per offending field, keyed
 * by the parameter's name or {@code body} plus the field's JSON pointer, saying which rule it broke. vertx-json-schema
 * reports a field that breaks its own rule (a package name's pattern) also as a failure of every object and array
 * around it and of their {@code additionalProperties}; only the innermost fields are kept, each with its most
 * specific rule, and a pattern or length is quoted from the document where the schema is one of its components.
 */
final class ValidationDetails {

  /** Keywords that only carry a failure of what they contain. */
  private static final Set<String> CARRIERS = Set.of("properties", "items", "prefixItems", "$ref", "allOf", "anyOf",
      "oneOf", "additionalProperties", "unevaluatedProperties", "unevaluatedItems", "");
  /** Keywords whose value the message quotes. */
  private static final Set<String> QUOTED = Set.of("pattern", "minLength", "maxLength", "minItems", "maxItems",
      "minimum", "maximum", "enum", "const", "type", "format");

  private final JsonObject document;

  /** @param document the OpenAPI document, for the values of the rules its components set */
  ValidationDetails(JsonObject document) {
    this.document = document;
  }

  /** {@code {"fields": {…}}} for {@code e}. */
  JsonObject of(ValidatorException e) {
    String subject = subjectOf(e.getMessage());
    Map<String, OutputUnit> byField = new LinkedHashMap<>();
    if (e instanceof SchemaValidationException schema && schema.getOutputUnit() != null) {
      List<OutputUnit> failures = new ArrayList<>();
      flatten(schema.getOutputUnit(), failures);
      for (OutputUnit unit : failures) {
        String pointer = unit.getInstanceLocation() == null ? "" : unit.getInstanceLocation().replaceFirst("^#", "");
        String field = pointer.isEmpty() ? subject : subject + pointer;
        OutputUnit kept = byField.get(field);
        if (kept == null || carrier(kept) && !carrier(unit)) {
          byField.put(field, unit);
        }
      }
      // A field whose failure is carried by a field inside it is not itself at fault.
      byField.keySet().removeIf(field -> byField.keySet().stream().anyMatch(other -> other.startsWith(field + "/")));
    }
    JsonObject fields = new JsonObject();
    byField.forEach((field, unit) -> fields.put(field, message(unit)));
    if (fields.isEmpty()) {
      fields.put(subject, e.getMessage());
    }
    return new JsonObject().put("fields", fields);
  }

  /** The first field of {@code details} and what is wrong with it, for the envelope's message. */
  static String first(JsonObject details) {
    JsonObject fields = details.getJsonObject("fields");
    if (fields == null || fields.isEmpty()) {
      return "";
    }
    String field = fields.fieldNames().iterator().next();
    return field + ": " + fields.getValue(field);
  }

  private static void flatten(OutputUnit unit, List<OutputUnit> into) {
    if (unit.getError() != null) {
      into.add(unit);
    }
    if (unit.getErrors() != null) {
      unit.getErrors().forEach(child -> flatten(child, into));
    }
  }

  private static String keyword(OutputUnit unit) {
    String location = unit.getKeywordLocation() == null ? "" : unit.getKeywordLocation();
    return location.substring(location.lastIndexOf('/') + 1);
  }

  private static boolean carrier(OutputUnit unit) {
    return CARRIERS.contains(keyword(unit));
  }

  /** The library's reason, with the rule's value when the document has it (e.g. the pattern a name must match). */
  private String message(OutputUnit unit) {
    String keyword = keyword(unit);
    Object rule = QUOTED.contains(keyword) ? ruleValue(unit.getAbsoluteKeywordLocation()) : null;
    return rule == null ? unit.getError() : unit.getError() + " (" + keyword + ": " + rule + ")";
  }

  /** The value at a keyword location inside the document's components, else null (an inline schema's location). */
  private Object ruleValue(String absoluteKeywordLocation) {
    if (absoluteKeywordLocation == null || !absoluteKeywordLocation.contains("#/components/")) {
      return null;
    }
    String pointer = absoluteKeywordLocation.substring(absoluteKeywordLocation.indexOf('#') + 1);
    try {
      return JsonPointer.from(pointer).queryJson(document);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The parameter a validation message names ("… parameter NAME …"), else the body. */
  private static String subjectOf(String message) {
    if (message == null) {
      return "body";
    }
    int start = message.indexOf("parameter ");
    if (start >= 0) {
      String rest = message.substring(start + "parameter ".length());
      int end = rest.indexOf(' ');
      return end > 0 ? rest.substring(0, end) : rest;
    }
    return "body";
  }
}
