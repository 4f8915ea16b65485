package io.linuxpatch.packages.backend.apt;

import io.linuxpatch.contract.EncodedJson;
import io.linuxpatch.contract.config.AgentConfig;
import io.linuxpatch.contract.jobs.JobError;
import io.linuxpatch.packages.backend.JobOutput;
import io.linuxpatch.packages.backend.PackageBackend;
import io.linuxpatch.packages.backend.Transaction;
import io.linuxpatch.packages.backend.apt.advisory.AdvisoryFeedFile;
import io.linuxpatch.packages.backend.apt.inventory.DpkgStatusField;
import io.linuxpatch.packages.backend.apt.inventory.DpkgStatusParser;
import io.linuxpatch.packages.backend.apt.job.DatabaseCheck;
import io.linuxpatch.packages.backend.apt.job.AptFailure;
import io.linuxpatch.packages.backend.apt.job.JobOutputListener;
import io.linuxpatch.packages.backend.apt.job.PackageHold;
import io.linuxpatch.packages.backend.apt.job.RollbackTransaction;
import io.linuxpatch.packages.job.JobLog;
import io.linuxpatch.packages.job.PackageSnapshot;
import io.vertx.core.json.JsonArray;
import java.nio.file.Files;
import java.util.TreeMap;
import java.util.function.Consumer;
import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.config.PackageManagerConfig;
import io.linuxpatch.contract.packages.Backend;
import io.linuxpatch.contract.packages.PackageName;
import io.linuxpatch.contract.packages.PackageVersion;
import io.linuxpatch.contract.packages.Validation;
import io.linuxpatch.packages.BackendRefusal;
import io.linuxpatch.packages.backend.apt.inventory.DpkgPackage;
import io.linuxpatch.packages.backend.apt.inventory.InstalledKernels;
import io.linuxpatch.packages.backend.apt.inventory.Inventory;
import io.linuxpatch.packages.backend.apt.inventory.InventoryCache;
import io.linuxpatch.packages.listing.PackageListing;
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
public final class AptBackend implements PackageBackend {

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
  private final AptStateFingerprint state;
  private final AptPaths paths;
  private final Path statusFile;
  private final AptTransactions transactions = new AptTransactions(this);
  private final AptPatches patches;
  private final DatabaseCheck databaseCheck;
  private final PackageHold packageHold;
  private volatile AdvisoryFeedFile feed;

  /**
   * @param advisoryFeed {@code patches.advisory_feed}: a Debian security tracker JSON file, or null
   */
  public AptBackend(PackageManagerConfig config, String advisoryFeed, ProcessRunner runner) {
    this.config = config;
    this.runner = runner;
    this.paths = AptPaths.of(config);
    this.statusFile = paths.statusFile();
    this.inventory = new InventoryCache(paths.adminDir(), paths.listsDir());
    this.state = new AptStateFingerprint(statusFile, paths.listsDir());
    this.feed = new AdvisoryFeedFile(advisoryFeed);
    this.patches = new AptPatches(this, () -> feed.current());
    this.databaseCheck = new DatabaseCheck(config, runner);
    this.packageHold = new PackageHold(this, config, runner);
  }

  /**
   * Why apt cannot run here, or null when it can: apt-get and dpkg installed, a dpkg database under the root, and
   * for a root other than {@code /} an APT_CONFIG that confines apt to it.
   */
  public static String unavailableReason(PackageManagerConfig pm) {
    if (!Files.isExecutable(Path.of(APT_GET)) || !Files.isExecutable(Path.of(DatabaseCheck.DPKG))) {
      return "apt-get and dpkg are not installed on this host (" + APT_GET + ", " + DatabaseCheck.DPKG + ")";
    }
    if (!"/".equals(pm.root()) && !pm.env().containsKey("APT_CONFIG")) {
      // Only APT_CONFIG isolates apt from the host's configuration: without it listings would come from the
      // root while plans came from the host.
      return "package_manager.root is " + pm.root() + " but package_manager.env has no APT_CONFIG for it";
    }
    if (!Files.isRegularFile(AptPaths.of(pm).statusFile())) {
      return "no dpkg database under package_manager.root " + pm.root();
    }
    return null;
  }

  @Override
  public Backend kind() {
    return Backend.APT;
  }

  @Override
  public String description() {
    return "apt/dpkg on " + config.root();
  }

  @Override
  public void reconfigure(AgentConfig agentConfig) {
    // The advisory feed applies on reload; the backend itself (root, env) needs a restart (restartNeededChanges).
    feed = new AdvisoryFeedFile(agentConfig.patches().advisoryFeed());
  }

  public Inventory inventory() throws IOException {
    return inventory.current();
  }

  /** Endpoint 2, as JSON. */
  public JsonObject listing(JsonObject q) throws IOException {
    return inventory().list(PackageListing.query(q));
  }

  /**
   * {@link #list} serialized, reused while the inventory is the same snapshot: the listing of unchanged
   * packages is encoded once per distinct query, not once per request (issue 7).
   */
  @Override
  public synchronized EncodedJson list(JsonObject q) throws IOException {
    Inventory current = inventory();
    if (current != encodedFor) {
      encoded.clear();
      encodedFor = current;
    }
    String key = q.encode();
    EncodedJson answer = encoded.get(key);
    if (answer == null) {
      answer = EncodedJson.of(listing(q));
      encoded.put(key, answer);
    }
    return answer;
  }

  /** Endpoint 3; the name is validated first so that a hostile name never reaches a file path. */
  @Override
  public JsonObject details(String name, boolean files) throws IOException {
    Inventory current = inventory();
    validName(name, current);
    return current.details(name, files).orElseThrow(() -> new BackendRefusal(ErrorCode.PKG_NOT_FOUND,
        "no package " + name + " is installed or known to apt", new JsonObject().put("name", name)));
  }

  /** The installed kernels and the newest of them (PKG-4), for SystemVerticle's reboot assessment. */
  @Override
  public JsonObject kernels() throws IOException {
    return InstalledKernels.of(inventory()).toJson();
  }

  /** The packages marked hold (apt-mark hold), by name. */
  @Override
  public List<JsonObject> holds() throws IOException {
    return inventory().holds().stream().map(p -> new JsonObject()
        .put("name", p.name())
        .put("version", p.version().map(Object::toString).orElse(null))
        .put("mechanism", "apt-mark hold")).toList();
  }

  @Override
  public long installedCount() throws IOException {
    return inventory().packages().stream().filter(p -> p.state().current() == DpkgStatusField.Current.INSTALLED).count();
  }

  @Override
  public List<JsonObject> patches() throws IOException {
    return patches.all();
  }

  @Override
  public Transaction transaction(JsonObject change) throws IOException {
    return Transaction.of(transactions.arguments(change));
  }

  @Override
  public String validName(String name) throws IOException {
    return validName(name, inventory());
  }

  @Override
  public Transaction upgrade(List<String> names) throws IOException {
    Inventory current = inventory();
    names.forEach(name -> validName(name, current));
    return Transaction.of(AptTransactions.upgrade(names));
  }

  @Override
  public Transaction rollback(JsonArray changes) throws IOException {
    return Transaction.of(new RollbackTransaction(this, paths).arguments(changes));
  }

  @Override
  public Plan simulate(Transaction transaction) {
    return simulate(transaction.steps().get(0));
  }

  @Override
  public List<List<String>> run(Transaction transaction, long lockWaitSeconds) {
    return transaction.steps().stream().map(args -> aptGet(lockWaitSeconds, args)).toList();
  }

  /** The fixed options of every mutating apt-get run, then {@code args} (which end with {@code --} and names). */
  static List<String> aptGet(long lockWait, List<String> args) {
    List<String> argv = new ArrayList<>(List.of(APT_GET, "-y", "-q",
        // Progress on stderr, not stdout: with the status fd on stdout apt keeps dpkg's own lines (Unpacking…,
        // Setting up…) out of it, and the job's logs would end at "Fetched …" (apt 2.6, found by experiment).
        "-o", "APT::Status-Fd=2",
        "-o", "DPkg::Lock::Timeout=" + lockWait,
        // Keep the local version of a changed conffile, never prompt (there is no terminal).
        "-o", "Dpkg::Options::=--force-confdef",
        "-o", "Dpkg::Options::=--force-confold",
        // The same phasing as the plans (see simulate): never install what apt still phases in.
        "-o", NO_FORCED_PHASED_UPDATES));
    argv.addAll(args);
    return argv;
  }

  @Override
  public List<List<String>> refreshCache(long lockWaitSeconds) {
    return List.of(List.of(APT_GET, "-q", "-o", "DPkg::Lock::Timeout=" + lockWaitSeconds, "update"));
  }

  @Override
  public List<List<String>> repair(long lockWaitSeconds) {
    return List.of(DatabaseCheck.dpkg(config, "--configure", "-a"), aptGet(lockWaitSeconds, List.of("-f", "install")));
  }

  @Override
  public Map<String, String> environment() {
    return config.env();
  }

  @Override
  public JobOutput output(JobLog log, Consumer<JsonObject> progress) {
    return new JobOutputListener(log, progress);
  }

  @Override
  public JobError classify(int exitCode, String output) {
    return AptFailure.classify(exitCode, output);
  }

  @Override
  public String firstError(String output) {
    return AptFailure.firstError(output);
  }

  /**
   * dpkg's status file read straight from disk rather than through the inventory cache: the cache's stamps could
   * pair a write within the same clock tick with the old content.
   */
  @Override
  public PackageSnapshot snapshot() throws IOException {
    Map<String, PackageSnapshot.Entry> packages = new TreeMap<>();
    byte[] bytes = Files.readAllBytes(statusFile);
    for (DpkgPackage p : new DpkgStatusParser().parse(statusFile.getFileName().toString(), bytes).packages()) {
      DpkgStatusField status = p.state();
      if (p.version().isEmpty() || status.current() == DpkgStatusField.Current.NOT_INSTALLED) {
        continue;
      }
      // Multi-arch instances of one name are keyed by name:arch only when the plain name is taken.
      String key = packages.containsKey(p.name()) ? p.qualifiedName() : p.name();
      packages.put(key, new PackageSnapshot.Entry(p.versionText(), status.isPresent()));
    }
    return new PackageSnapshot(packages, VERSIONS, true);
  }

  @Override
  public Comparator<String> versionOrder() {
    return VERSIONS;
  }

  /** {@link DatabaseCheck}'s worst case: two audits and a {@code dpkg --configure -a}, with a margin to read back. */
  @Override
  public Duration recoveryBudget() {
    return DatabaseCheck.WORST_CASE.plus(RECOVERY_MARGIN);
  }

  @Override
  public JsonObject checkDatabase() {
    return databaseCheck.run();
  }

  @Override
  public JsonObject hold(String name, boolean hold) throws IOException {
    return packageHold.apply(name, hold);
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
      throw AptFailure.refusal(result);
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
  @Override
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
