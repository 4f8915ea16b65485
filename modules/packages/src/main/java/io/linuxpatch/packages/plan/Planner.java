package io.linuxpatch.packages.plan;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.packages.BackendRefusal;
import io.linuxpatch.packages.backend.PackageBackend;
import io.linuxpatch.packages.backend.Transaction;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Dry-run plans for every backend (the plan-then-apply paragraph of the SPEC): a requested change becomes the
 * backend's validated {@link Transaction}, the package manager's own simulation of it a {@link Plan}, and the plan
 * a {@code plan_id} over its actions and the package state it was computed on; a client's {@code plan_id} that no
 * longer matches is 409 PLAN_STALE. The job engine executes exactly this transaction.
 */
public final class Planner {

  private final PackageBackend backend;
  /**
   * A simulation is a function of the package state and the arguments, so a plan computed for the same
   * transaction on the same state fingerprint is reused: the job engine plans a change when it is submitted (for
   * the 4xx answers) and again right before it runs (for the before-versions), and with nothing in between that
   * second simulation would only repeat the first.
   */
  private final RecentPlans recentPlans = new RecentPlans(32);

  public Planner(PackageBackend backend) {
    this.backend = backend;
  }

  /** The transaction of a change ({@code operation} install, update, remove or patch_apply, plus its fields). */
  public Transaction transaction(JsonObject change) throws IOException {
    if ("patch_apply".equals(change.getString("operation"))) {
      List<String> names = Patches.selectPackages(backend.patches(), change, this::validName);
      return names.isEmpty() ? Transaction.NONE : backend.upgrade(names);
    }
    return backend.transaction(change);
  }

  /** Endpoints 4/5/6/8 with {@code ?dry_run=true}: the simulation of the change, and its plan_id. */
  public JsonObject plan(JsonObject change) throws IOException {
    Transaction transaction = transaction(change);
    return planOf(transaction, change.getString("plan_id")).put("operation", change.getString("operation"));
  }

  /** The plan of a transaction already built (a rollback's); PLAN_STALE when {@code requestedPlanId} differs. */
  public JsonObject planOf(Transaction transaction, String requestedPlanId) throws IOException {
    String fingerprint = backend.stateFingerprint();
    Plan plan = transaction.isEmpty() ? new Plan(List.of(), List.of(), false, null)
        : recentPlans.computeIfAbsent(fingerprint + '\n' + transaction.key(), key -> backend.simulate(transaction));
    String planId = plan.planId(fingerprint);
    if (requestedPlanId != null && !requestedPlanId.equals(planId)) {
      throw new BackendRefusal(ErrorCode.PLAN_STALE, "the package state or the plan changed since plan "
          + requestedPlanId + " was computed; review the new plan", new JsonObject().put("plan_id", planId));
    }
    return plan.toJson()
        .put("plan_id", planId)
        .put("dry_run", true)
        .put("held", new JsonArray(backend.heldNames()));
  }

  private String validName(String name) {
    try {
      return backend.validName(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
