package io.linuxpatch.contract.packages;

import io.vertx.core.json.JsonObject;

/**
 * The answer of a request-field check (SEC-9): either the accepted value or the rule it broke and why.
 *
 * <p>An {@link Invalid} answer becomes a 400 {@code INVALID_REQUEST}; its {@link Invalid#details()} go into
 * the error envelope so that the client sees which rule was broken.
 */
public sealed interface Validation permits Validation.Valid, Validation.Invalid {

  /** Whether the value may be used. */
  boolean isValid();

  /** The value passed every rule and may be given to the package manager (after {@code --}). */
  record Valid(String value) implements Validation {
    @Override
    public boolean isValid() {
      return true;
    }
  }

  /**
   * The value broke a rule.
   *
   * @param field   the request field, e.g. {@code name} or {@code version}
   * @param rule    a stable identifier of the broken rule, e.g. {@code trailing-plus}
   * @param message a sentence for people; the offending value is shown escaped and shortened
   */
  record Invalid(String field, String rule, String message) implements Validation {
    @Override
    public boolean isValid() {
      return false;
    }

    /** The {@code details} object of the 400 envelope. */
    public JsonObject details() {
      return new JsonObject().put("field", field).put("rule", rule).put("reason", message);
    }
  }
}
