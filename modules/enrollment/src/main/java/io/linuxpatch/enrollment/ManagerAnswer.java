package io.linuxpatch.enrollment;

import java.time.Duration;

/**
 * What one request to the manager came to, in the terms of the protocol (ENR): each answer says what the
 * enrollment does next. {@code reason} texts are operator sentences without the polling token.
 */
public sealed interface ManagerAnswer {

  /** 202 to the registration, with the token to poll with. */
  record Registered(PollingToken token) implements ManagerAnswer {}

  /** 409 to the registration: the host is known; the token, when the answer carried one, else null. */
  record AlreadyRegistered(PollingToken token) implements ManagerAnswer {}

  /** Status {@code pending}. */
  record Pending() implements ManagerAnswer {}

  /** Status {@code approved}, with the material still to be checked. */
  record Approved(ApprovedMaterial material) implements ManagerAnswer {}

  /** Status {@code denied}. */
  record Denied(String reason) implements ManagerAnswer {}

  /** HTTP 404 or status {@code not_found}: the manager no longer knows the token. */
  record Gone() implements ManagerAnswer {}

  /** 429: ask again after {@code delay}. */
  record RetryLater(Duration delay) implements ManagerAnswer {}

  /** 5xx, a network error, or an answer that is not the protocol's: back off and ask again. */
  record Unavailable(String reason) implements ManagerAnswer {}

  /** Any other refusal (400, 401, 403, an untrusted manager certificate): asking again will not help. */
  record Refused(String reason) implements ManagerAnswer {}
}
