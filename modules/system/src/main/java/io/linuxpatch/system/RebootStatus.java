package io.linuxpatch.system;

import io.linuxpatch.contract.health.HealthCheck;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Whether and why the host wants a reboot (PKG-4): the Debian/Ubuntu flag file, and everywhere the running
 * kernel compared with the newest kernel the package manager has installed.
 *
 * @param flag                  the reboot-required flag file and the packages it lists
 * @param runningKernel         the release the running kernel reports ({@code uname -r})
 * @param newestInstalledKernel the newest installed kernel's release; null when none is installed or the
 *                              package backend could not say
 */
public record RebootStatus(RebootRequired flag, String runningKernel, String newestInstalledKernel) {

  /** The name of the health check in endpoint 1. */
  static final String CHECK_NAME = "reboot";

  public RebootStatus {
    Objects.requireNonNull(flag, "flag");
  }

  /** Why a reboot is wanted, in a fixed order; empty when it is not. */
  public List<String> reasons() {
    List<String> reasons = new ArrayList<>(2);
    if (flag.required()) {
      reasons.add("reboot-required file present");
    }
    // A release differs from the running one only once a different kernel was installed: the running
    // kernel's own package is the newest as long as nothing newer came in.
    if (newestInstalledKernel != null && !newestInstalledKernel.equals(runningKernel)) {
      reasons.add("newer kernel installed: " + newestInstalledKernel + " (running " + runningKernel + ")");
    }
    return List.copyOf(reasons);
  }

  public boolean required() {
    return !reasons().isEmpty();
  }

  /** Endpoint 9's {@code reboot_required} object. */
  public JsonObject toJson() {
    List<String> reasons = reasons();
    return new JsonObject()
        .put("required", !reasons.isEmpty())
        .put("packages", new JsonArray(flag.packages()))
        .put("running_kernel", runningKernel)
        .put("newest_installed_kernel", newestInstalledKernel)
        .put("reasons", new JsonArray(reasons));
  }

  /**
   * The "reboot" health check: always healthy, because a pending reboot is the normal state after
   * patching, not a fault of the agent; the details say whether one is pending and why.
   */
  public HealthCheck healthCheck() {
    List<String> reasons = reasons();
    JsonObject details = new JsonObject().put("required", !reasons.isEmpty()).put("reasons", new JsonArray(reasons));
    String message = reasons.isEmpty()
        ? "no reboot pending"
        : "reboot pending (" + String.join("; ", reasons) + "): schedule POST /api/v1/system/reboot when convenient";
    return HealthCheck.healthy(CHECK_NAME, message, details);
  }
}
