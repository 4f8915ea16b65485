package io.linuxpatch.contract.enrollment;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;

/**
 * Where certificate renewal stands (ENR), as the enrollment verticle publishes it on
 * {@code lpa.enrollment.status} for the {@code certificates} health check. Never carries a polling token or key
 * material: {@code error} is an operator's sentence with the token already removed.
 *
 * @param state        what renewal is doing
 * @param since        when this state began (for FAILING: the first failure of the current streak)
 * @param error        the latest failure, or null
 * @param lastRenewed  when the agent last installed certificates from the manager, or null
 * @param nextCheck    when the agent looks at the certificate's expiry next, or null
 */
public record RenewalStatus(State state, Instant since, String error, Instant lastRenewed, Instant nextCheck) {

  /** The states the health check names. */
  public enum State {
    /** No renewal is due, or the last one succeeded. */
    OK,
    /** A renewal is running: registered with the manager, waiting for its answer. */
    RENEWING,
    /** The last renewal attempt failed; the next check tries again. */
    FAILING,
    /** No {@code enrollment.manager_url}: certificates are renewed by hand. */
    NOT_CONFIGURED;

    public String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("state", state.json())
        .put("since", since == null ? null : since.toString())
        .put("error", error)
        .put("last_renewed", lastRenewed == null ? null : lastRenewed.toString())
        .put("next_check", nextCheck == null ? null : nextCheck.toString());
  }
}
