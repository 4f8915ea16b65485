package io.linuxpatch.packages.backend.pacman;

import io.linuxpatch.contract.EncodedJson;
import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.config.AgentConfig;
import io.linuxpatch.contract.config.PackageManagerConfig;
import io.linuxpatch.contract.jobs.JobError;
import io.linuxpatch.contract.packages.Backend;
import io.linuxpatch.contract.packages.PackageName;
import io.linuxpatch.contract.packages.PackageVersion;
import io.linuxpatch.contract.packages.Validation;
import io.linuxpatch.packages.BackendRefusal;
import io.linuxpatch.packages.backend.ForeignLockWait;
import io.linuxpatch.packages.backend.JobOutput;
import io.linuxpatch.packages.backend.PackageBackend;
import io.linuxpatch.packages.backend.Transaction;
import io.linuxpatch.packages.backend.pacman.advisory.ArchFeedFile;
import io.linuxpatch.packages.backend.pacman.inventory.LocalDatabaseReader;
import io.linuxpatch.packages.backend.pacman.inventory.PacmanDatabase;
import io.linuxpatch.packages.backend.pacman.inventory.PacmanDatabases;
import io.linuxpatch.packages.backend.pacman.inventory.PacmanInventory;
import io.linuxpatch.packages.backend.pacman.inventory.PacmanKernels;
import io.linuxpatch.packages.backend.pacman.inventory.PacmanListing;
import io.linuxpatch.packages.backend.pacman.inventory.PacmanPackage;
import io.linuxpatch.packages.backend.pacman.job.DetachedRefresh;
import io.linuxpatch.packages.backend.pacman.job.PacmanDatabaseCheck;
import io.linuxpatch.packages.backend.pacman.job.PacmanFailure;
import io.linuxpatch.packages.backend.pacman.job.PacmanHoldFile;
import io.linuxpatch.packages.backend.pacman.job.PacmanJobOutput;
import io.linuxpatch.packages.backend.pacman.job.PacmanLock;
import io.linuxpatch.packages.backend.pacman.job.PacmanLockWait;
import io.linuxpatch.packages.backend.pacman.job.PacmanPackageCache;
import io.linuxpatch.packages.backend.pacman.job.PacmanRollback;
import io.linuxpatch.packages.backend.pacman.job.SyncSource;
import io.linuxpatch.packages.backend.pacman.plan.PacmanSimulation;
import io.linuxpatch.packages.backend.pacman.version.PacmanVersion;
import io.linuxpatch.packages.job.JobLog;
import io.linuxpatch.packages.job.PackageSnapshot;
import io.linuxpatch.packages.listing.PackageListing;
import io.linuxpatch.packages.plan.Plan;
import io.linuxpatch.packages.plan.RebootHeuristic;
import io.linuxpatch.process.ProcessRunner;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pacman backend (Arch Linux and its derivatives; PKG-1 … PKG-5, SEC-9, JOB-1 … JOB-8). Listings, details, holds,
 * kernels and the available updates come from pacman's own databases read in memory ({@link PacmanDatabases}: the
 * local database and the sync databases, re-read when their stamps change, never a process per package); plans
 * from pacman's own resolution ({@code --print}, {@link PacmanSimulation}); jobs run the exact transaction with
 * {@code --noconfirm --ask=5} (yes to removing a conflicting package, no to installing an ignored one, so holds
 * hold) and the configured options. Every argv is absolute, runs without a shell, and names only validated names
 * known to the databases, after {@code --}.
 *
 * <p>Cache refresh: Arch supports no partial upgrade, so {@code pacman -Sy} never runs alone on pacman's own
 * databases. {@code POST /api/v1/packages/cache} refreshes into a separate DBPath ({@link DetachedRefresh}, in
 * {@code data_dir/pacman-sync}, as Arch's {@code checkupdates} does): patches, listings and plans then show what an
 * upgrade would do, while pacman's own databases keep matching the installed system, so a refresh that fails or is
 * cancelled half-way leaves nothing partial behind. A transaction that takes packages from the refreshed databases
 * is one {@code pacman -Syu …}: the refresh of pacman's own databases and the upgrade together ({@link
 * PacmanTransactions}).
 *
 * <p>Holds are kept by the agent in {@code ROOT/etc/pacman.d/linux-patch-api-holds.conf} ({@link PacmanHoldFile})
 * and passed as {@code --ignore}; pacman.conf's own IgnorePkg entries count as holds too (read only). pacman never
 * waits for its lock ({@code db.lck}): the job engine waits in its place ({@link #foreignLock}), and a lock left by a
 * killed pacman is removed after the engine's own cancel or timeout, after a crash, and by a repair job.
 */
public final class PacmanBackend implements PackageBackend {

  public static final String PACMAN = "/usr/bin/pacman";
  /** pacman's version order ({@code vercmp}). */
  public static final Comparator<String> VERSIONS = PacmanVersion.ORDER;
  /**
   * The packages whose change probably wants a reboot (a hint for plans only, never a classification): the C
   * library, the init system, the system bus, Arch's kernel packages and the firmware they load.
   */
  public static final RebootHeuristic REBOOT = new RebootHeuristic(Set.of("glibc", "systemd", "dbus", "dbus-broker",
      "linux", "linux-lts", "linux-zen", "linux-hardened", "linux-rt", "linux-rt-lts", "linux-firmware"), List.of());
  /**
   * What every real run passes besides {@code --noconfirm}: {@code --ask} inverts the default answer of the
   * questions in its bit mask — 1, "X is in IgnorePkg. Install anyway?" (default yes: {@code --noconfirm} alone would
   * upgrade a held package that is named) and 4, "X and Y are in conflict. Remove Y?" (default no: the conflict
   * removal every plan shows would fail).
   */
  public static final String ASK = "--ask=5";

  private static final Logger LOG = LoggerFactory.getLogger(PacmanBackend.class);
  private static final int ENCODED_LISTINGS = 32;

  private final PackageManagerConfig config;
  private final ProcessRunner runner;
  private final Path root;
  private final List<String> pacman;
  private final Path configFile;
  private PacmanConfiguration pacmanConf;
  private String pacmanConfStamp;
  private final Path dbPath;
  private final Path refreshDbPath;
  private final DetachedRefresh refresh;
  private final SyncSource syncSource;
  private final PacmanDatabases databases;
  /** The sync DBPath the next read of {@link #databases} uses; only set inside {@link #view()}. */
  private volatile Path chosenSync;
  private final PacmanHoldFile holdFile;
  private final PacmanLock lock;
  private final PacmanLockWait lockWait;
  private final PacmanDatabaseCheck databaseCheck;
  private final PacmanSimulation simulation;
  private final PacmanPatches patches;
  private final PacmanTransactions transactions = new PacmanTransactions(this);
  private volatile ArchFeedFile feed;

  private PacmanListing listing;
  private final Map<String, EncodedJson> encoded = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, EncodedJson> eldest) {
      return size() > ENCODED_LISTINGS;
    }
  };

  /**
   * @param config       {@code package_manager}: {@code root}, {@code env}, {@code options} (e.g. {@code --config
   *                     ROOT/etc/pacman.conf}; none on a real host)
   * @param advisoryFeed {@code patches.advisory_feed}: an Arch security tracker JSON file, or null
   * @param dataDir      {@code data_dir}: where the detached refresh keeps its databases
   */
  public PacmanBackend(PackageManagerConfig config, String advisoryFeed, String dataDir, ProcessRunner runner) {
    this.config = config;
    this.runner = runner;
    this.root = Path.of(config.root());
    List<String> argv = new ArrayList<>();
    argv.add(PACMAN);
    argv.addAll(config.options());
    this.pacman = List.copyOf(argv);
    this.configFile = PacmanConfiguration.configFile(config.options());
    try {
      this.pacmanConf = PacmanConfiguration.read(config.options());
      this.pacmanConfStamp = stamp(configFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read pacman's configuration " + configFile, e);
    }
    this.dbPath = pacmanConf.dbPath();
    Path data = dataDir == null ? root.resolve("var/lib/linux_patch_api") : Path.of(dataDir);
    this.refreshDbPath = data.resolve("pacman-sync");
    this.refresh = new DetachedRefresh(dbPath, refreshDbPath, data.resolve("pacman-sync.log"));
    this.syncSource = new SyncSource(dbPath, refreshDbPath, pacmanConf.repositories());
    this.chosenSync = dbPath;
    this.databases = new PacmanDatabases(dbPath, () -> chosenSync, pacmanConf.repositories());
    this.holdFile = new PacmanHoldFile(root);
    this.lock = new PacmanLock(dbPath);
    this.lockWait = new PacmanLockWait(lock);
    this.databaseCheck = new PacmanDatabaseCheck(lock, pacman, config.env(), runner);
    this.simulation = new PacmanSimulation(runner, pacman, config.env(), REBOOT);
    this.feed = new ArchFeedFile(advisoryFeed);
    this.patches = new PacmanPatches(() -> feed, REBOOT);
  }

  /**
   * Why pacman cannot run here, or null when it can: pacman installed, its configuration readable, the local
   * database's directory present, and for a root other than {@code /} a {@code --config} in
   * {@code package_manager.options} whose DBPath lies inside that root (otherwise reads would come from the root
   * while pacman worked on the host).
   */
  public static String unavailableReason(PackageManagerConfig pm) {
    if (!Files.isExecutable(Path.of(PACMAN))) {
      return "pacman is not installed on this host (" + PACMAN + ")";
    }
    Path conf = PacmanConfiguration.configFile(pm.options());
    boolean hostRoot = "/".equals(pm.root());
    if (!hostRoot && PacmanConfiguration.option(pm.options(), "--config") == null) {
      return "package_manager.root is " + pm.root() + " but package_manager.options has no --config for it";
    }
    PacmanConfiguration read;
    try {
      read = PacmanConfiguration.read(pm.options());
    } catch (IOException e) {
      return "pacman's configuration " + conf + " cannot be read: " + e.getMessage();
    }
    if (!hostRoot && !read.dbPath().startsWith(Path.of(pm.root()).normalize())) {
      return "pacman's DBPath " + read.dbPath() + " (from " + conf + ") is not inside package_manager.root "
          + pm.root();
    }
    if (!Files.isDirectory(read.dbPath())) {
      return "no pacman database at " + read.dbPath() + " (DBPath of " + conf + ")";
    }
    return null;
  }

  @Override
  public Backend kind() {
    return Backend.PACMAN;
  }

  @Override
  public String description() {
    return "pacman on " + config.root();
  }

  @Override
  public void reconfigure(AgentConfig agentConfig) {
    // The advisory feed applies on reload; root, options and env need a restart (restartNeededChanges).
    feed = new ArchFeedFile(agentConfig.patches().advisoryFeed());
  }

  // --- the databases as read now ---------------------------------------------------------------------------

  /** What the reads, plans and transactions of one request are computed on. */
  record View(PacmanInventory inventory, boolean refreshed, PacmanConfiguration conf, Set<String> agentHolds) {

    /** Every held installed name: pacman.conf's IgnorePkg (patterns) matching it, and the agent's holds. */
    Set<String> held() {
      Set<String> held = new TreeSet<>(agentHolds);
      for (PacmanPackage installed : inventory.local().packages()) {
        if (conf.ignores(installed.name())) {
          held.add(installed.name());
        }
      }
      return held;
    }
  }

  /** The databases, the configuration and the holds now (stats; a read only of what changed). */
  synchronized View view() throws IOException {
    Path sync = syncSource.current();
    chosenSync = sync;
    PacmanInventory inventory = databases.current();
    return new View(inventory, !sync.equals(dbPath), configuration(), holdFile.names());
  }

  /** pacman.conf again when its stamp changed (an administrator's IgnorePkg edit). */
  private PacmanConfiguration configuration() throws IOException {
    String now = stamp(configFile);
    if (!now.equals(pacmanConfStamp)) {
      pacmanConf = PacmanConfiguration.read(config.options());
      pacmanConfStamp = now;
    }
    return pacmanConf;
  }

  private PacmanTransactions.View transactionView(View view) {
    return new PacmanTransactions.View(view.inventory(), view.held(), view.agentHolds(), view.refreshed(),
        new PacmanPackageCache(view.conf().cacheDirs()));
  }

  // --- reads -----------------------------------------------------------------------------------------------

  @Override
  public synchronized EncodedJson list(JsonObject q) throws IOException {
    PacmanInventory inventory = view().inventory();
    if (listing == null || listing.inventory() != inventory) {
      listing = new PacmanListing(inventory, dbPath);
      encoded.clear();
    }
    String key = q.encode();
    EncodedJson answer = encoded.get(key);
    if (answer == null) {
      answer = EncodedJson.of(listing.list(PackageListing.query(q)));
      encoded.put(key, answer);
    }
    return answer;
  }

  @Override
  public JsonObject details(String name, boolean files) throws IOException {
    View view = view();
    validName(name, view.inventory());
    PacmanListing details;
    synchronized (this) {
      details = listing != null && listing.inventory() == view.inventory() ? listing
          : new PacmanListing(view.inventory(), dbPath);
    }
    return details.details(name, files, view.held().contains(name)).orElseThrow(() -> new BackendRefusal(
        ErrorCode.PKG_NOT_FOUND, "no package " + name + " is installed or in pacman's sync databases",
        new JsonObject().put("name", name)));
  }

  @Override
  public List<JsonObject> holds() throws IOException {
    View view = view();
    List<JsonObject> holds = new ArrayList<>();
    for (String name : view.held()) {
      Optional<PacmanPackage> installed = view.inventory().installed(name);
      if (installed.isEmpty()) {
        continue;
      }
      holds.add(new JsonObject()
          .put("name", name)
          .put("version", installed.get().version())
          .put("mechanism", view.agentHolds().contains(name) ? "IgnorePkg (" + holdFile.file() + ")"
              : "IgnorePkg (" + view.conf().configFile() + ")"));
    }
    return holds;
  }

  @Override
  public JsonObject kernels() throws IOException {
    return PacmanKernels.of(root, view().inventory()).toJson();
  }

  @Override
  public long installedCount() throws IOException {
    return view().inventory().local().size();
  }

  // --- updates and plans -----------------------------------------------------------------------------------

  @Override
  public List<JsonObject> patches() throws IOException {
    View view = view();
    return patches.all(view.inventory(), view.held());
  }

  /**
   * The databases' stamps (local database, the sync databases read and where from), pacman.conf's IgnorePkg and the
   * agent's holds: any install, removal, refresh or hold makes a plan stale.
   */
  @Override
  public String stateFingerprint() throws IOException {
    View view = view();
    StringBuilder text = new StringBuilder(view.inventory().stamps())
        .append("\nignore ").append(new TreeSet<>(view.conf().ignored()))
        .append("\nholds ").append(view.agentHolds());
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  @Override
  public Transaction transaction(JsonObject change) throws IOException {
    return transactions.of(change, transactionView(view()));
  }

  @Override
  public String validName(String name) throws IOException {
    return validName(name, view().inventory());
  }

  @Override
  public Transaction upgrade(List<String> names) throws IOException {
    return transactions.upgrade(names, transactionView(view()));
  }

  @Override
  public Transaction rollback(JsonArray changes) throws IOException {
    View view = view();
    return new PacmanRollback(n -> validName(n, view.inventory()), PacmanBackend::validVersion,
        new PacmanPackageCache(view.conf().cacheDirs()))
        .inverse(changes, view.inventory(), view.held(), !view.refreshed());
  }

  @Override
  public Plan simulate(Transaction transaction) {
    try {
      View view = view();
      return simulation.simulate(transaction, view.inventory(), view.held(), view.conf()::ignores, refreshDbPath);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // --- jobs ------------------------------------------------------------------------------------------------

  @Override
  public List<List<String>> run(Transaction transaction, long lockWaitSeconds) {
    List<List<String>> steps = new ArrayList<>();
    for (List<String> args : transaction.steps()) {
      List<String> argv = new ArrayList<>(pacman);
      argv.add("--noconfirm");
      argv.add(ASK);
      argv.addAll(args);
      steps.add(argv);
    }
    return steps;
  }

  /** The detached refresh: {@code pacman -Sy} into {@code data_dir/pacman-sync}, never pacman's own databases. */
  @Override
  public List<List<String>> refreshCache(long lockWaitSeconds) {
    try {
      refresh.prepare();
    } catch (IOException e) {
      throw new BackendRefusal(ErrorCode.BACKEND_UNAVAILABLE, "cannot prepare the separate database directory "
          + refreshDbPath + " for the refresh: " + e.getMessage(), new JsonObject().put("path", refreshDbPath.toString()));
    }
    List<String> argv = new ArrayList<>(pacman);
    argv.addAll(refresh.refreshArguments());
    return List.of(argv);
  }

  /**
   * A repair: the lock a killed pacman left is removed while the job is prepared (only when no process holds it;
   * the engine would otherwise wait for it), then {@code pacman -Dk} checks the local database.
   */
  @Override
  public List<List<String>> repair(long lockWaitSeconds) {
    LOG.info("repair: {}", databaseCheck.removeStaleLock());
    return List.of(databaseCheck.consistencyCheck());
  }

  @Override
  public Map<String, String> environment() {
    return config.env();
  }

  @Override
  public Optional<ForeignLockWait> foreignLock() {
    return Optional.of(lockWait);
  }

  @Override
  public JobOutput output(JobLog log, Consumer<JsonObject> progress) {
    return new PacmanJobOutput(log, progress);
  }

  @Override
  public JobError classify(int exitCode, String output) {
    return PacmanFailure.classify(exitCode, output);
  }

  @Override
  public String firstError(String output) {
    return PacmanFailure.firstError(output);
  }

  /** The local database read from disk (not the cache, whose stamps could pair a write in the same tick with old content). */
  @Override
  public PackageSnapshot snapshot() throws IOException {
    PacmanDatabase local = new LocalDatabaseReader().read(dbPath);
    Map<String, PackageSnapshot.Entry> packages = new TreeMap<>();
    for (PacmanPackage installed : local.packages()) {
      packages.put(installed.name(), new PackageSnapshot.Entry(installed.version(), true));
    }
    return new PackageSnapshot(packages, VERSIONS, false);
  }

  @Override
  public Comparator<String> versionOrder() {
    return VERSIONS;
  }

  /**
   * {@link PacmanDatabaseCheck}'s worst case: pacman leaves nothing half configured, so recovery is a stale lock's
   * removal and one {@code pacman -Dk}, with the margin to read back.
   */
  @Override
  public Duration recoveryBudget() {
    return PacmanDatabaseCheck.WORST_CASE.plus(RECOVERY_MARGIN);
  }

  @Override
  public JsonObject checkDatabase() {
    return databaseCheck.run();
  }

  /**
   * Holds or releases an installed package in the agent's hold file. A package held by pacman.conf's IgnorePkg
   * stays held (the agent does not edit pacman.conf); the answer says so in {@code held_by}.
   */
  @Override
  public JsonObject hold(String requested, boolean hold) throws IOException {
    View view = view();
    String name = validName(requested, view.inventory());
    if (view.inventory().installed(name).isEmpty()) {
      throw new BackendRefusal(ErrorCode.PKG_NOT_FOUND, name + " is not installed", new JsonObject().put("name", name));
    }
    boolean byConf = view.conf().ignores(name);
    boolean before = byConf || view.agentHolds().contains(name);
    if (!(hold && byConf)) {
      holdFile.set(name, hold);
    }
    boolean after = byConf || holdFile.names().contains(name);
    JsonObject answer = new JsonObject().put("name", name).put("held", after).put("changed", before != after);
    if (!hold && byConf) {
      answer.put("held_by", "IgnorePkg in " + view.conf().configFile() + " (the agent does not edit pacman.conf)");
    }
    return answer;
  }

  // --- validation -------------------------------------------------------------------------------------------

  /** SEC-9 with pacman's grammar; "known exactly" is the local or a sync database having that very name. */
  String validName(String name, PacmanInventory inventory) {
    Validation v = PackageName.validate(name, Backend.PACMAN,
        n -> inventory.installed(n).isPresent() || inventory.available(n).isPresent());
    if (v instanceof Validation.Invalid invalid) {
      throw new BackendRefusal(ErrorCode.INVALID_REQUEST, invalid.message(), invalid.details());
    }
    return name;
  }

  static String validVersion(String version) {
    Validation v = PackageVersion.validate(version);
    if (v instanceof Validation.Invalid invalid) {
      throw new BackendRefusal(ErrorCode.INVALID_REQUEST, invalid.message(), invalid.details());
    }
    return version;
  }

  /** The detached refresh's DBPath. */
  public Path refreshDbPath() {
    return refreshDbPath;
  }

  private static String stamp(Path file) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    return a.lastModifiedTime().toMillis() + " " + a.size() + " " + a.fileKey();
  }
}
