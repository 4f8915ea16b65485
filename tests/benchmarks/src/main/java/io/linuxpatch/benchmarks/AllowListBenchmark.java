package io.linuxpatch.benchmarks;

import io.linuxpatch.contract.auth.IpAllowList;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * SEC-4's allow-list check, done at every accept and again for every request: a typical list (loopback,
 * a few management hosts and subnets of both families) and a large one (250 entries), for an address
 * that matches the first entry, one that matches the last, and one that matches none (the silent drop).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AllowListBenchmark {

  private IpAllowList typical;
  private IpAllowList large;
  private InetAddress first;
  private InetAddress last;
  private InetAddress lastOfLarge;
  private InetAddress stranger;
  private InetAddress strangerV6;

  @Setup(Level.Trial)
  public void setUp() throws UnknownHostException {
    List<IpAllowList.Range> ranges = new ArrayList<>(List.of(
        IpAllowList.Range.of(InetAddress.getByName("127.0.0.1"), "127.0.0.1"),
        IpAllowList.Range.of(InetAddress.getByName("::1"), "::1"),
        IpAllowList.Range.of(InetAddress.getByName("10.20.0.0"), 16, "10.20.0.0/16"),
        IpAllowList.Range.of(InetAddress.getByName("192.0.2.10"), "mgmt-1"),
        IpAllowList.Range.of(InetAddress.getByName("192.0.2.11"), "mgmt-2"),
        IpAllowList.Range.of(InetAddress.getByName("2001:db8:42::"), 48, "2001:db8:42::/48"),
        IpAllowList.Range.of(InetAddress.getByName("198.51.100.0"), 27, "198.51.100.0/27")));
    typical = IpAllowList.of(ranges);
    List<IpAllowList.Range> many = new ArrayList<>(ranges);
    for (int i = 0; i < 243; i++) {
      many.add(IpAllowList.Range.of(InetAddress.getByName("172.16." + i + ".0"), 24, "172.16." + i + ".0/24"));
    }
    large = IpAllowList.of(many);
    first = InetAddress.getByName("127.0.0.1");
    last = InetAddress.getByName("198.51.100.17");
    lastOfLarge = InetAddress.getByName("172.16.242.9");
    stranger = InetAddress.getByName("203.0.113.99");
    strangerV6 = InetAddress.getByName("2001:db8:99::1");
  }

  @Benchmark
  public boolean typicalFirstEntry() {
    return typical.allows(first);
  }

  @Benchmark
  public boolean typicalLastEntry() {
    return typical.allows(last);
  }

  @Benchmark
  public boolean typicalNoMatch() {
    return typical.allows(stranger);
  }

  @Benchmark
  public boolean typicalNoMatchIpv6() {
    return typical.allows(strangerV6);
  }

  @Benchmark
  public boolean largeLastEntry() {
    return large.allows(lastOfLarge);
  }

  @Benchmark
  public boolean largeNoMatch() {
    return large.allows(stranger);
  }
}
