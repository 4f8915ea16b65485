package io.linuxpatch.benchmarks;

import io.linuxpatch.packages.backend.apt.inventory.DpkgStatusParser;
import io.linuxpatch.packages.backend.apt.inventory.Inventory;
import io.linuxpatch.packages.backend.apt.inventory.InventoryCache;
import io.linuxpatch.contract.config.PackageManagerConfig;
import io.linuxpatch.packages.backend.dnf.DnfCommands;
import io.linuxpatch.packages.backend.dnf.inventory.DnfInventory;
import io.linuxpatch.packages.backend.dnf.inventory.DnfInventoryCache;
import io.linuxpatch.packages.backend.dnf.inventory.InstalledRpmQuery;
import io.linuxpatch.packages.backend.pacman.inventory.LocalDatabaseReader;
import io.linuxpatch.packages.backend.pacman.inventory.PacmanDatabase;
import io.linuxpatch.packages.backend.pacman.inventory.PacmanDatabases;
import io.linuxpatch.packages.backend.pacman.inventory.PacmanInventory;
import io.linuxpatch.packages.backend.pacman.inventory.PacmanListing;
import io.linuxpatch.packages.listing.PackageQuery;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * PKG-2 on a 3,000-package host: listing 1,000 of 3,000 installed packages from the warm inventory cache
 * (what {@code GET /api/v1/packages?limit=1000} costs the backend, JSON encoding included), the cache's
 * check that nothing changed, and a full re-parse of the status file (what a change costs).
 *
 * <p>The same for rpm ({@link Rpm}, methods {@code rpm*}): a real rpm database of 3,000 packages
 * ({@link SyntheticRpmDatabase}; needs rpm and rpmbuild, as root) read by the dnf backend's inventory cache; the
 * re-read of a change is one {@code rpm -qa --queryformat} and its parse, measured with and without the process.
 *
 * <p>The same for pacman ({@code pacman*}, issue 13): 3,000 installed packages in the local database and 15,000 in
 * two gzip sync databases; the re-parse of the local database is what a transaction costs, the re-read of everything
 * what a refresh costs, and the first listing of a new snapshot what the first listing after either costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InventoryBenchmark {

  private Path root;
  private String statusText;
  private InventoryCache cache;
  private PackageQuery firstThousand;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    root = Files.createTempDirectory("lpa-bench");
    Path admin = Files.createDirectories(root.resolve("var/lib/dpkg/info"));
    Files.createDirectories(root.resolve("var/lib/apt/lists"));
    statusText = SyntheticStatus.packages(3_000);
    Files.writeString(admin.getParent().resolve("status"), statusText);
    cache = new InventoryCache(admin.getParent(), root.resolve("var/lib/apt/lists"));
    firstThousand = PackageQuery.defaults().withStatus(PackageQuery.Status.INSTALLED).withPage(1000, 0);
    if (cache.current().size() != 3_000) {
      throw new IllegalStateException("the synthetic status file must hold 3,000 packages");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public String listThousandOfThreeThousandWarm() throws IOException {
    Inventory inventory = cache.current();
    return inventory.list(firstThousand).encode();
  }

  @Benchmark
  public Inventory warmCacheCheck() throws IOException {
    return cache.current();
  }

  @Benchmark
  public Object reparseThreeThousandPackageStatus() {
    return new DpkgStatusParser().parse("status", statusText);
  }

  /** A scratch root with a real rpm database of 3,000 packages, and the dnf backend's cache of it. */
  @State(Scope.Benchmark)
  public static class Rpm {
    Path dir;
    DnfCommands commands;
    DnfInventoryCache cache;
    String queryOutput;
    PackageQuery firstThousand;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      if (!SyntheticRpmDatabase.available()) {
        throw new IllegalStateException("the rpm benchmarks need rpm and rpmbuild, run as root");
      }
      dir = Files.createTempDirectory("lpa-bench-rpm");
      SyntheticRpmDatabase.create(dir, 3_000);
      Path conf = Files.createDirectories(dir.resolve("dnf/repos.d"));
      Files.writeString(dir.resolve("dnf/dnf.conf"), "[main]\ngpgcheck=0\nreposdir=" + conf + "\n");
      Path root = dir.resolve("root");
      commands = new DnfCommands(new PackageManagerConfig("dnf", root.toString(),
          Map.of("HOME", dir.resolve("home").toString()), List.of("--installroot=" + root, "--config="
              + dir.resolve("dnf/dnf.conf"), "--releasever=1", "--setopt=reposdir=" + conf, "--disableplugin=*")));
      cache = new DnfInventoryCache(commands, ProcessRunner.create());
      if (cache.current().installed().size() != 3_000) {
        throw new IllegalStateException("the synthetic rpm database must hold 3,000 packages, has "
            + cache.current().installed().size());
      }
      queryOutput = rpmQuery();
      firstThousand = PackageQuery.defaults().withStatus(PackageQuery.Status.INSTALLED).withPage(1000, 0);
    }

    String rpmQuery() {
      ProcessResult result = ProcessRunner.create().run(commands.spec(commands.rpm(InstalledRpmQuery.arguments()),
          Duration.ofMinutes(2)).withOutputLimits(64 * 1024 * 1024, 64 * 1024));
      if (!result.succeeded()) {
        throw new IllegalStateException("rpm -qa failed: " + result.stderr().text());
      }
      return result.stdout().text();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Benchmark
  public String rpmListThousandOfThreeThousandWarm(Rpm rpm) throws IOException {
    DnfInventory inventory = rpm.cache.current();
    return inventory.list(rpm.firstThousand).encode();
  }

  @Benchmark
  public DnfInventory rpmWarmCacheCheck(Rpm rpm) throws IOException {
    return rpm.cache.current();
  }

  @Benchmark
  public Object rpmReparseThreeThousandPackageQuery(Rpm rpm) {
    return InstalledRpmQuery.parse(rpm.queryOutput);
  }

  @Benchmark
  public Object rpmRereadThreeThousandPackagesWithRpm(Rpm rpm) {
    return InstalledRpmQuery.parse(rpm.rpmQuery());
  }

  /** A pacman host: 3,000 installed packages, 15,000 available in core and extra. */
  @State(Scope.Benchmark)
  public static class PacmanHost {
    Path directory;
    Path dbPath;
    PacmanDatabases databases;
    PacmanListing listing;
    PackageQuery firstThousand;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      directory = Files.createTempDirectory("lpa-bench-pacman");
      dbPath = SyntheticPacmanDatabases.write(directory, 3_000, 15_000);
      databases = new PacmanDatabases(dbPath, List.of("core", "extra"));
      PacmanInventory inventory = databases.current();
      if (inventory.local().size() != 3_000 || inventory.sync().stream().mapToInt(db -> db.size()).sum() != 15_000) {
        throw new IllegalStateException("the synthetic pacman databases must hold 3,000 and 15,000 packages");
      }
      listing = new PacmanListing(inventory, dbPath);
      firstThousand = PackageQuery.defaults().withStatus(PackageQuery.Status.INSTALLED).withPage(1000, 0);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      try (Stream<Path> files = Files.walk(directory)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Benchmark
  public String pacmanListThousandOfThreeThousandWarm(PacmanHost host) throws IOException {
    return host.listing.list(host.firstThousand).encode();
  }

  @Benchmark
  public PacmanInventory pacmanWarmCacheCheck(PacmanHost host) throws IOException {
    return host.databases.current();
  }

  @Benchmark
  public PacmanDatabase pacmanReparseThreeThousandLocal(PacmanHost host) throws IOException {
    return new LocalDatabaseReader().read(host.dbPath);
  }

  @Benchmark
  public PacmanInventory pacmanRereadLocalAndFifteenThousandSync(PacmanHost host) throws IOException {
    return new PacmanDatabases(host.dbPath, List.of("core", "extra")).current();
  }

  /** The first listing after a transaction: the installed rows of a new snapshot, then 1,000 of them encoded. */
  @Benchmark
  public String pacmanFirstListingOfNewSnapshot(PacmanHost host) throws IOException {
    return new PacmanListing(host.databases.current(), host.dbPath).list(host.firstThousand).encode();
  }

  /** The rows of all 15,000 names of a new snapshot (made on the first {@code status=all|available} listing). */
  @Benchmark
  public int pacmanAllRowsOfNewSnapshot(PacmanHost host) throws IOException {
    return new PacmanListing(host.databases.current(), host.dbPath).rows().size();
  }
}
