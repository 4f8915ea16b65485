package io.linuxpatch.packages.backend.apt;

import io.linuxpatch.contract.EncodedJson;
import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.config.PackageManagerConfig;
import io.linuxpatch.contract.packages.Backend;
import io.linuxpatch.contract.packages.PackageName;
import io.linuxpatch.contract.packages.PackageVersion;
import io.linuxpatch.contract.packages.Validation;
import io.linuxpatch.packages.BackendRefusal;
import io.linuxpatch.packages.ListPage;
import io.linuxpatch.packages.backend.apt.inventory.DpkgPackage;
import io.linuxpatch.packages.backend.apt.inventory.InstalledKernels;
import io.linuxpatch.packages.backend.apt.inventory.Inventory;
import io.linuxpatch.packages.backend.apt.inventory.InventoryCache;
import io.linuxpatch.packages.backend.apt.inventory.PackageQuery;
import io.linuxpatch.packages.backend.apt.version.DebianVersion;
import io.linuxpatch.packages.backend.apt.plan.AptSimulation;
import io.linuxpatch.packages.plan.Plan;
import io.linuxpatch.packages.plan.RebootHeuristic;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The apt/dpkg backend (PKG-1, PKG-2, SEC-9): listings and details come from the in-memory inventory of
 * the dpkg database and apt's lists; plans come from apt's own simulation ({@code apt-get -s}) run on the
 * configured root with the configured environment, never from guesses. Called from a worker thread.
 */
public final class AptBackend {

  static final String APT_GET = "/usr/bin/apt-get";
  /**
   * The phasing option every apt-get run passes, simulated or real, so that a job installs exactly what its
   * plan showed (see {@link #simulate} for why).
   */
  public static final String NO_FORCED_PHASED_UPDATES = "APT::Get::Always-Include-Phased-Updates=false";
  private static final Duration SIMULATION_TIMEOUT = Duration.ofMinutes(2);
  /**
   * apt prints two lines of about 100 bytes per package a simulation touches: the default 256 KiB tail would cut
   * the plan of an old host with thousands of pending updates.
   */
  private static final int SIMULATION_OUTPUT_LIMIT = 32 * 1024 * 1024;
  /** dpkg's version order, for UPGRADE vs DOWNGRADE and advisory ranges. */
  public static final Comparator<String> VERSIONS = (a, b) -> DebianVersion.parse(a).compareTo(DebianVersion.parse(b));

  private final PackageManagerConfig config;
  private final ProcessRunner runner;
  private final InventoryCache inventory;
  /** The last encoded listings of the snapshot {@link #encodedFor}, by query; a few dozen at most. */
  private final Map<String, EncodedJson> encoded = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, EncodedJson> eldest) {
      return size() > ENCODED_LISTINGS;
    }
  };
  private static final int ENCODED_LISTINGS = 32;
  private Inventory encodedFor;
  private final PackageState state;

  public AptBackend(PackageManagerConfig config, ProcessRunner runner) {
    this.config = config;
    this.runner = runner;
    Path root = Path.of(config.root());
    this.inventory = new InventoryCache(root.resolve("var/lib/dpkg"), root.resolve("var/lib/apt/lists"));
    this.state = new PackageState(root.resolve("var/lib/dpkg/status"), root.resolve("var/lib/apt/lists"));
  }

  public Inventory inventory() throws IOException {
    return inventory.current();
  }

  /** Endpoint 2. */
  public JsonObject list(JsonObject q) throws IOException {
    PackageQuery query = PackageQuery.defaults();
    if (q.getString("name") != null) {
      query = query.withName(q.getString("name"));
    }
    if (q.getString("status") != null) {
      query = query.withStatus(PackageQuery.Status.fromWire(q.getString("status")).orElseThrow());
    }
    if (Boolean.TRUE.equals(q.getBoolean("upgradable"))) {
      query = query.withUpgradableOnly(true);
    }
    query = query.withSort(PackageQuery.Sort.fromWire(q.getString("sort", "name")).orElseThrow(),
        PackageQuery.Order.fromWire(q.getString("order", "asc")).orElseThrow());
    query = query.withPage(q.getInteger("limit", PackageQuery.DEFAULT_LIMIT), q.getInteger("offset", 0));
    return inventory().list(query);
  }

  /**
   * {@link #list} serialized, reused while the inventory is the same snapshot: the listing of unchanged
   * packages is encoded once per distinct query, not once per request (issue 7). Call from one thread
   * (the package verticle's).
   */
  public EncodedJson listEncoded(JsonObject q) throws IOException {
    Inventory current = inventory();
    if (current != encodedFor) {
      encoded.clear();
      encodedFor = current;
    }
    String key = q.encode();
    EncodedJson answer = encoded.get(key);
    if (answer == null) {
      answer = EncodedJson.of(list(q));
      encoded.put(key, answer);
    }
    return answer;
  }

  /** Endpoint 3; the name is validated first so that a hostile name never reaches a file path. */
  public JsonObject details(String name, boolean files) throws IOException {
    Inventory current = inventory();
    validName(name, current);
    return current.details(name, files).orElseThrow(() -> new BackendRefusal(ErrorCode.PKG_NOT_FOUND,
        "no package " + name + " is installed or known to apt", new JsonObject().put("name", name)));
  }

  /** The installed kernels and the newest of them (PKG-4), for SystemVerticle's reboot assessment. */
  public JsonObject kernels() throws IOException {
    return InstalledKernels.of(inventory()).toJson();
  }

  /** {@code GET /api/v1/holds}. */
  public JsonObject holds(JsonObject paging) throws IOException {
    List<DpkgPackage> sorted = new ArrayList<>(inventory().holds());
    sorted.sort(Comparator.comparing(DpkgPackage::name));
    if ("desc".equals(paging.getString("order"))) {
      java.util.Collections.reverse(sorted);
    }
    List<JsonObject> holds = sorted.stream().map(p -> new JsonObject()
        .put("name", p.name())
        .put("version", p.version().map(Object::toString).orElse(null))
        .put("mechanism", "apt-mark hold")).toList();
    return ListPage.of("holds", holds, paging.getInteger("limit", 100), paging.getInteger("offset", 0));
  }

  /** Runs apt's simulation with {@code args} (after the fixed options) and parses its plan. */
  public Plan simulate(List<String> args) {
    // Phased updates (apt 2.6, observed in AptPhasedUpdatesSandboxTest): apt seeds its lottery with
    // APT::Machine-ID or else <Dir>/etc/machine-id, i.e. the configured root's own file, and skips phasing
    // without one, in a chroot (ischroot -t) or with SOURCE_DATE_EPOCH set (never passed: the environment is
    // scrubbed). So no machine-id option is passed: apt then holds back exactly what a plain apt run on this
    // root would. Always-Include-Phased-Updates=false is apt's default; passing it only overrides a host that
    // set it (or Update-Manager's) to true, so the agent never offers an update still being phased in.
    List<String> argv = new ArrayList<>(List.of(APT_GET, "-s", "-q", "-o", "Debug::NoLocking=1",
        "-o", NO_FORCED_PHASED_UPDATES));
    argv.addAll(args);
    ProcessResult result = runner.run(ProcessSpec.of(argv).withExtraEnv(config.env()).withTimeout(SIMULATION_TIMEOUT)
        .withOutputLimits(SIMULATION_OUTPUT_LIMIT, ProcessSpec.DEFAULT_OUTPUT_LIMIT));
    if (result.exitCode() != 0 || result.timedOut()) {
      throw AptFailure.of(result);
    }
    if (result.stdout().truncated()) {
      // A plan read from the tail of apt's output would leave out actions, and its plan_id would not say so.
      throw new BackendRefusal(ErrorCode.BACKEND_UNAVAILABLE, "apt's simulation printed more than "
          + SIMULATION_OUTPUT_LIMIT / (1024 * 1024) + " MiB; the transaction is too large to plan",
          new JsonObject().put("output_bytes", result.stdout().totalBytes()));
    }
    return AptSimulation.parse(result.stdout().text()).toPlan(VERSIONS, RebootHeuristic.DEFAULT);
  }

  /** A fingerprint of the package state a plan was computed on (PLAN_STALE when it changes). */
  public String stateFingerprint() throws IOException {
    return state.fingerprint();
  }

  /** The package name, checked against the backend's rules with the inventory answering "known exactly". */
  public String validName(String name, Inventory current) {
    Validation v = PackageName.validate(name, Backend.APT, current::knows);
    if (v instanceof Validation.Invalid invalid) {
      throw new BackendRefusal(ErrorCode.INVALID_REQUEST, invalid.message(), invalid.details());
    }
    return name;
  }

  public static String validVersion(String version) {
    Validation v = PackageVersion.validate(version);
    if (v instanceof Validation.Invalid invalid) {
      throw new BackendRefusal(ErrorCode.INVALID_REQUEST, invalid.message(), invalid.details());
    }
    return version;
  }
}
