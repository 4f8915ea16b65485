package io.linuxpatch.packages.backend.dnf;

import io.linuxpatch.contract.EncodedJson;
import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.config.PackageManagerConfig;
import io.linuxpatch.contract.jobs.JobError;
import io.linuxpatch.contract.packages.Backend;
import io.linuxpatch.packages.BackendRefusal;
import io.linuxpatch.packages.backend.JobOutput;
import io.linuxpatch.packages.backend.PackageBackend;
import io.linuxpatch.packages.backend.Transaction;
import io.linuxpatch.packages.backend.dnf.inventory.DnfInventory;
import io.linuxpatch.packages.backend.dnf.inventory.DnfInventoryCache;
import io.linuxpatch.packages.backend.dnf.inventory.InstalledRpm;
import io.linuxpatch.packages.backend.dnf.inventory.InstalledRpmQuery;
import io.linuxpatch.packages.backend.dnf.inventory.RpmDetailsQuery;
import io.linuxpatch.packages.backend.dnf.inventory.RpmRow;
import io.linuxpatch.packages.backend.dnf.job.DnfDatabaseCheck;
import io.linuxpatch.packages.backend.dnf.job.DnfFailure;
import io.linuxpatch.packages.backend.dnf.job.DnfHold;
import io.linuxpatch.packages.backend.dnf.job.DnfProgress;
import io.linuxpatch.packages.backend.dnf.job.DnfRollback;
import io.linuxpatch.packages.backend.dnf.job.VersionLockList;
import io.linuxpatch.packages.backend.dnf.plan.DnfTransaction;
import io.linuxpatch.packages.backend.dnf.version.RpmVersion;
import io.linuxpatch.packages.job.JobLog;
import io.linuxpatch.packages.job.PackageSnapshot;
import io.linuxpatch.packages.listing.PackageListing;
import io.linuxpatch.packages.plan.Plan;
import io.linuxpatch.packages.plan.PlanAction;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The dnf backend (PKG-1 … PKG-5, SEC-9) for RHEL 8+, Fedora, Rocky and Alma (dnf 4): listings, details, holds and
 * kernels from the cached inventory ({@link DnfInventoryCache}: one {@code rpm -qa} and one cache-only
 * {@code repoquery}, read again only when their files change), patches from dnf's own {@code check-update} and
 * {@code updateinfo} ({@link DnfPatches}), plans from dnf's own resolution ({@code --assumeno}, whose table
 * {@link DnfTransaction} reads), jobs running exactly that transaction with {@code -y}, all with the configured
 * options and environment ({@link DnfCommands}). Names reach dnf only through {@link DnfNames}, after {@code --}.
 *
 * <p>Which metadata: plans, patches and listings read dnf's cache as it is ({@code -C}); jobs pass
 * {@code --setopt=*.metadata_expire=-1}, so that dnf uses the same cached metadata however old it is (and still
 * downloads the packages, which {@code -C} would refuse), and runs the transaction its plan showed rather than one
 * resolved against metadata it refreshed on the way. Only a cache refresh ({@code dnf makecache --refresh},
 * endpoint 16) changes the metadata, like {@code apt-get update} on apt.
 */
public final class DnfBackend implements PackageBackend {

  /** What makes every simulation a simulation: the cache as it is, and "no" to dnf's question. */
  static final List<String> SIMULATION = List.of("-C", "--assumeno");
  /** What every real run passes before its step (see the class comment). */
  static final List<String> REAL_RUN = List.of("-y", "--setopt=*.metadata_expire=-1");
  private static final Duration SIMULATION_TIMEOUT = Duration.ofMinutes(5);
  private static final int SIMULATION_OUTPUT_LIMIT = 32 * 1024 * 1024;
  private static final Duration RPM_TIMEOUT = Duration.ofMinutes(2);
  private static final int DETAILS_OUTPUT_LIMIT = 64 * 1024 * 1024;
  private static final int ENCODED_LISTINGS = 32;
  /** The packages whose releases are kernels (uname -r is their VERSION-RELEASE.ARCH). */
  private static final Pattern KERNEL = Pattern.compile("kernel(-(rt|uek|lt|ml|64k|debug))?(-core)?");

  private final PackageManagerConfig config;
  private final ProcessRunner runner;
  private final DnfCommands commands;
  private final DnfInventoryCache inventory;
  private final DnfPatches patchFinder;
  private final DnfDatabaseCheck databaseCheck;
  private final DnfHold holdList;
  private final Map<String, EncodedJson> encoded = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, EncodedJson> eldest) {
      return size() > ENCODED_LISTINGS;
    }
  };
  private DnfInventory encodedFor;
  private String patchesComputedFor;
  private List<JsonObject> patches = List.of();

  public DnfBackend(PackageManagerConfig config, ProcessRunner runner) {
    this.config = config;
    this.runner = runner;
    this.commands = new DnfCommands(config);
    this.inventory = new DnfInventoryCache(commands, runner);
    this.patchFinder = new DnfPatches(commands, runner);
    this.databaseCheck = new DnfDatabaseCheck(commands, runner);
    this.holdList = new DnfHold(commands, runner);
  }

  /**
   * Why dnf cannot run here, or null when it can: dnf and rpm installed, an rpm database under the root, and for a
   * root other than {@code /} an {@code --installroot} option naming it (without one dnf would act on the host while
   * listings came from the root).
   */
  public static String unavailableReason(PackageManagerConfig pm) {
    if (!Files.isExecutable(DnfCommands.DNF) || !Files.isExecutable(DnfCommands.RPM)) {
      return "dnf and rpm are not installed on this host (" + DnfCommands.DNF + ", " + DnfCommands.RPM + ")";
    }
    DnfCommands commands = new DnfCommands(pm);
    if (!commands.isHostRoot() && !commands.namesInstallroot()) {
      return "package_manager.root is " + pm.root() + " but package_manager.options has no --installroot=" + pm.root();
    }
    Path database = Path.of(pm.root()).resolve("var/lib/rpm");
    if (!Files.isDirectory(database)) {
      return "no rpm database under package_manager.root " + pm.root() + " (" + database + ")";
    }
    return null;
  }

  @Override
  public Backend kind() {
    return Backend.DNF;
  }

  @Override
  public String description() {
    return "dnf/rpm on " + config.root();
  }

  /** The current inventory (memory when nothing changed on disk). */
  public DnfInventory inventory() throws IOException {
    return inventory.current();
  }

  // --- reads ---------------------------------------------------------------------------------------------

  @Override
  public synchronized EncodedJson list(JsonObject query) throws IOException {
    DnfInventory current = inventory();
    if (current != encodedFor) {
      encoded.clear();
      encodedFor = current;
    }
    String key = query.encode();
    EncodedJson answer = encoded.get(key);
    if (answer == null) {
      answer = EncodedJson.of(current.list(PackageListing.query(query)));
      encoded.put(key, answer);
    }
    return answer;
  }

  @Override
  public JsonObject details(String name, boolean files) throws IOException {
    DnfInventory current = inventory();
    DnfNames.valid(name, current);
    RpmRow row = current.row(name).orElseThrow(() -> new BackendRefusal(ErrorCode.PKG_NOT_FOUND,
        "no package " + name + " is installed or offered by a repository", new JsonObject().put("name", name)));
    JsonObject json = row.toJson();
    json.put("hold", holdList.read().holds(name));
    InstalledRpm installed = row.installed();
    if (installed == null) {
      json.put("installed_at", null).put("maintainer", null).put("homepage", null).put("source_package", null)
          .put("dependencies", new JsonArray()).put("reverse_dependencies", new JsonArray());
      if (files) {
        json.put("files", new JsonArray());
      }
      return json;
    }
    ProcessResult query = runner.run(commands.spec(commands.rpm(RpmDetailsQuery.arguments(name, files)), RPM_TIMEOUT)
        .withOutputLimits(DETAILS_OUTPUT_LIMIT, ProcessSpec.DEFAULT_OUTPUT_LIMIT));
    RpmDetailsQuery.Details details = RpmDetailsQuery.parse(query.stdout().text()).stream()
        .filter(d -> d.arch() != null && d.arch().equals(installed.arch())
            && RpmVersion.parse(d.evr()).compareTo(installed.evr()) == 0)
        .findFirst().orElseThrow(() -> new IOException("rpm -q " + name + " did not show the installed "
            + installed.nevra() + " (exit " + query.exitCode() + "): " + query.stderr().text().strip()));
    json.put("description", details.description() == null ? installed.summary() : details.description())
        .put("installed_at", installed.installTime().truncatedTo(ChronoUnit.SECONDS).toString())
        .put("maintainer", details.packager() != null ? details.packager() : details.vendor())
        .put("homepage", details.url())
        .put("source_package", RpmDetailsQuery.sourceName(details.sourceRpm()))
        .put("license", details.license())
        .put("dependencies", RpmDetailsQuery.dependencies(details))
        .put("reverse_dependencies", new JsonArray(reverseDependencies(name, details)));
    if (files) {
      json.put("files", new JsonArray(new ArrayList<>(details.files())));
    }
    return json;
  }

  /** The installed packages that require {@code name} or one of its provides (one {@code rpm --whatrequires}). */
  private List<String> reverseDependencies(String name, RpmDetailsQuery.Details details) {
    Set<String> capabilities = new LinkedHashSet<>();
    capabilities.add(name);
    capabilities.addAll(details.provides());
    List<String> args = new ArrayList<>(List.of("-q", "--queryformat", "%{NAME}\\n", "--whatrequires", "--"));
    args.addAll(capabilities);
    ProcessResult result = runner.run(commands.spec(commands.rpm(args), RPM_TIMEOUT)
        .withOutputLimits(DETAILS_OUTPUT_LIMIT, ProcessSpec.DEFAULT_OUTPUT_LIMIT));
    List<String> names = new ArrayList<>(RpmDetailsQuery.requirers(result.stdout().text()));
    names.remove(name);
    names.sort(null);
    return names;
  }

  @Override
  public List<JsonObject> holds() throws IOException {
    DnfInventory current = inventory();
    List<JsonObject> holds = new ArrayList<>();
    for (VersionLockList.Entry entry : holdList.read().entries()) {
      if (entry.exclude() || holds.stream().anyMatch(h -> h.getString("name").equals(entry.name()))) {
        continue;
      }
      String version = entry.version() != null ? entry.version().dnfForm() : current.installedVersion(entry.name(), null);
      holds.add(new JsonObject().put("name", entry.name()).put("version", version).put("mechanism", "dnf versionlock"));
    }
    holds.sort(Comparator.comparing(h -> h.getString("name")));
    return holds;
  }

  @Override
  public List<String> heldNames() throws IOException {
    return holdList.read().heldNames();
  }

  /**
   * The installed kernels and the newest (PKG-4): the releases of {@code kernel}/{@code kernel-core} (and the rt,
   * uek… flavours) as {@code uname -r} prints them once booted, {@code VERSION-RELEASE.ARCH}, in rpm's order.
   */
  @Override
  public JsonObject kernels() throws IOException {
    List<InstalledRpm> kernels = inventory().installed().stream().filter(p -> KERNEL.matcher(p.name()).matches())
        .sorted(Comparator.comparing(InstalledRpm::evr)).toList();
    List<String> releases = new ArrayList<>();
    for (InstalledRpm kernel : kernels) {
      String release = kernel.version() + "-" + kernel.release() + "." + kernel.arch();
      releases.remove(release);
      releases.add(release);
    }
    return new JsonObject().put("installed_kernels", new JsonArray(releases))
        .put("newest", releases.isEmpty() ? null : releases.get(releases.size() - 1));
  }

  @Override
  public long installedCount() throws IOException {
    return inventory().installed().size();
  }

  // --- updates and plans ---------------------------------------------------------------------------------------

  @Override
  public synchronized List<JsonObject> patches() throws IOException {
    DnfInventory current = inventory();
    String state = stateFingerprint();
    if (!state.equals(patchesComputedFor)) {
      patches = patchFinder.compute(current);
      patchesComputedFor = state;
    }
    return patches;
  }

  /**
   * The rpm database's and the cached metadata's stamps and the lock list's content: an install, a removal, a hold
   * or a cache refresh changes it, which makes a plan's {@code plan_id} stale.
   */
  @Override
  public String stateFingerprint() throws IOException {
    MessageDigest digest = sha256();
    for (String stamp : inventory.installedStamps()) {
      digest.update((stamp + "\n").getBytes(StandardCharsets.UTF_8));
    }
    for (String stamp : DnfInventoryCache.availableStamps(commands)) {
      digest.update((stamp + "\n").getBytes(StandardCharsets.UTF_8));
    }
    for (VersionLockList.Entry entry : holdList.read().entries()) {
      digest.update(((entry.exclude() ? "!" : "") + entry.pattern() + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  @Override
  public Transaction transaction(JsonObject change) throws IOException {
    return DnfTransactions.of(change, inventory());
  }

  @Override
  public String validName(String name) throws IOException {
    return DnfNames.valid(name, inventory());
  }

  @Override
  public Transaction upgrade(List<String> names) throws IOException {
    return DnfTransactions.upgrade(names, inventory());
  }

  @Override
  public Transaction rollback(JsonArray changes) throws IOException {
    return DnfRollback.of(changes, inventory(), commands.cacheDirectory());
  }

  /**
   * dnf's own resolution of every step ({@code -C --assumeno}), its tables read into one plan: removals that
   * several steps name (a rollback's conflict) once. Held packages a step asked to upgrade are kept back: the
   * versionlock plugin hides their other versions, so dnf leaves them out without a word.
   */
  @Override
  public Plan simulate(Transaction transaction) {
    DnfInventory current;
    Set<String> held;
    try {
      current = inventory();
      held = new LinkedHashSet<>(heldNames());
    } catch (IOException e) {
      throw new BackendRefusal(ErrorCode.BACKEND_UNAVAILABLE, "the rpm database cannot be read: " + e.getMessage(),
          new JsonObject());
    }
    List<PlanAction> actions = new ArrayList<>();
    Set<String> keptBack = new LinkedHashSet<>();
    boolean reboot = false;
    Long download = null;
    for (List<String> step : transaction.steps()) {
      Plan plan = simulateStep(step, current);
      for (PlanAction action : plan.actions()) {
        boolean repeated = action.kind() == PlanAction.Kind.REMOVE && actions.stream()
            .anyMatch(a -> a.kind() == PlanAction.Kind.REMOVE && a.name().equals(action.name()));
        if (!repeated) {
          actions.add(action);
        }
      }
      keptBack.addAll(plan.keptBack());
      if (step.contains("upgrade")) {
        for (String target : step.subList(step.indexOf("--") + 1, step.size())) {
          if (held.contains(target) && plan.actions().stream().noneMatch(a -> a.name().equals(target))) {
            keptBack.add(target);
          }
        }
      }
      reboot |= plan.requiresReboot();
      if (plan.downloadSizeBytes() != null) {
        download = (download == null ? 0 : download) + plan.downloadSizeBytes();
      }
    }
    return new Plan(actions, new ArrayList<>(keptBack), reboot, download);
  }

  private Plan simulateStep(List<String> step, DnfInventory current) {
    List<String> args = new ArrayList<>(SIMULATION);
    args.addAll(step);
    ProcessResult result = runner.run(commands.spec(commands.dnf(args), SIMULATION_TIMEOUT)
        .withOutputLimits(SIMULATION_OUTPUT_LIMIT, ProcessSpec.DEFAULT_OUTPUT_LIMIT));
    String stdout = result.stdout().text();
    String stderr = result.stderr().text();
    if (result.timedOut()) {
      throw new BackendRefusal(ErrorCode.TIMEOUT, "dnf's simulation did not finish in time",
          new JsonObject().put("exit_code", result.exitCode()), result.exitCode(), "timed out");
    }
    if (result.stdout().truncated()) {
      throw new BackendRefusal(ErrorCode.BACKEND_UNAVAILABLE, "dnf's simulation printed more than "
          + SIMULATION_OUTPUT_LIMIT / (1024 * 1024) + " MiB; the transaction is too large to plan",
          new JsonObject().put("output_bytes", result.stdout().totalBytes()));
    }
    if (!DnfTransaction.isCompleteSimulation(result.exitCode(), stdout, stderr)) {
      throw DnfFailure.refusal(result.exitCode(), stdout + "\n" + stderr);
    }
    DnfTransaction table = DnfTransaction.parse(stdout);
    if (!table.problems().isEmpty() || !table.otherChanges().isEmpty()) {
      // A plan the agent cannot read completely must not get a plan_id: it would not say what the job does.
      List<String> unread = new ArrayList<>(table.problems());
      unread.addAll(table.otherChanges());
      throw new BackendRefusal(ErrorCode.BACKEND_UNAVAILABLE, "dnf's transaction table could not be read "
          + "completely: " + unread.get(0), new JsonObject().put("unread", new JsonArray(unread)));
    }
    return table.toPlan(current::installedVersion);
  }

  // --- jobs ------------------------------------------------------------------------------------------------

  @Override
  public List<List<String>> run(Transaction transaction, long lockWaitSeconds) {
    // dnf waits for another process's lock for ever; the engine ends the wait after lockWaitSeconds (DnfProgress).
    return transaction.steps().stream().map(step -> {
      List<String> args = new ArrayList<>(REAL_RUN);
      args.addAll(step);
      return commands.dnf(args);
    }).toList();
  }

  /** {@code dnf makecache --refresh}: every repository's metadata checked now, whatever its expiry. */
  @Override
  public List<List<String>> refreshCache(long lockWaitSeconds) {
    return List.of(commands.dnf("--refresh", "makecache"));
  }

  @Override
  public List<List<String>> repair(long lockWaitSeconds) {
    return databaseCheck.repairSteps();
  }

  @Override
  public Map<String, String> environment() {
    return config.env();
  }

  @Override
  public JobOutput output(JobLog log, Consumer<JsonObject> progress) {
    return new DnfProgress(log, progress);
  }

  @Override
  public JobError classify(int exitCode, String output) {
    return DnfFailure.classifyRun(exitCode, output);
  }

  @Override
  public String firstError(String output) {
    return DnfFailure.firstError(output);
  }

  /**
   * The rpm database read from the database itself (one {@code rpm -qa}, not the inventory cache, whose stamps
   * could pair a change in the same clock tick with old content): by name, a second architecture of one name under
   * {@code name.arch}; of several install-only versions (kernels) the newest.
   */
  @Override
  public PackageSnapshot snapshot() throws IOException {
    ProcessResult result = runner.run(commands.spec(commands.rpm(InstalledRpmQuery.arguments()), RPM_TIMEOUT)
        .withOutputLimits(128 * 1024 * 1024, ProcessSpec.DEFAULT_OUTPUT_LIMIT));
    if (!result.succeeded() || result.stdout().truncated()) {
      throw new IOException("rpm -qa failed (exit " + result.exitCode() + "): " + result.stderr().text().strip());
    }
    Map<String, InstalledRpm> byKey = new TreeMap<>();
    for (InstalledRpm p : InstalledRpmQuery.parse(result.stdout().text()).packages()) {
      if (p.arch() == null) {
        continue; // gpg-pubkey
      }
      InstalledRpm same = byKey.get(p.name());
      String key = same == null || same.arch().equals(p.arch()) ? p.name() : p.name() + "." + p.arch();
      InstalledRpm kept = byKey.get(key);
      if (kept == null || p.evr().isNewerThan(kept.evr())) {
        byKey.put(key, p);
      }
    }
    Map<String, PackageSnapshot.Entry> packages = new TreeMap<>();
    byKey.forEach((key, p) -> packages.put(key, new PackageSnapshot.Entry(p.evr().dnfForm(), true)));
    return new PackageSnapshot(packages, RpmVersion.ORDER, false);
  }

  @Override
  public Comparator<String> versionOrder() {
    return RpmVersion.ORDER;
  }

  /**
   * {@link DnfDatabaseCheck}'s worst case (an rpm rebuild and a removal of duplicates beside the checks), with the
   * margin to read back.
   */
  @Override
  public Duration recoveryBudget() {
    return DnfDatabaseCheck.WORST_CASE.plus(RECOVERY_MARGIN);
  }

  @Override
  public JsonObject checkDatabase() {
    return databaseCheck.run();
  }

  @Override
  public JsonObject hold(String name, boolean hold) throws IOException {
    DnfNames.installed(name, inventory());
    return holdList.apply(name, hold);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
