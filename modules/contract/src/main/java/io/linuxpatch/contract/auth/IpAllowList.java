package io.linuxpatch.contract.auth;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * An immutable IP allow-list (SEC-4): addresses and CIDR blocks of both families, host names already
 * resolved into addresses. Deny by default: an empty list allows nobody.
 *
 * <p>Checked on the acceptor thread for every new connection and on the event loop for every request, so
 * a check is a loop over a few masked comparisons without allocation.
 */
public final class IpAllowList {

  /**
   * One allowed range.
   *
   * @param network the network address bytes (4 or 16), already masked
   * @param prefix  prefix length in bits
   * @param source  the allow-list entry it came from (an address, a CIDR or a host name)
   */
  public record Range(byte[] network, int prefix, String source) {
    public Range {
      network = mask(network.clone(), prefix);
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int m = (0xFF << (8 - rest)) & 0xFF;
      return (address[full] & m) == (network[full] & 0xFF);
    }

    private static byte[] mask(byte[] bytes, int prefix) {
      if (prefix < 0 || prefix > bytes.length * 8) {
        throw new IllegalArgumentException("prefix " + prefix + " out of range for " + bytes.length * 8 + " bits");
      }
      for (int bit = prefix; bit < bytes.length * 8; bit++) {
        bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
      }
      return bytes;
    }

    /** A range holding one address. */
    public static Range of(InetAddress address, String source) {
      byte[] bytes = canonical(address).getAddress();
      return new Range(bytes, bytes.length * 8, source);
    }

    /** A CIDR block. */
    public static Range of(InetAddress network, int prefix, String source) {
      return new Range(canonical(network).getAddress(), prefix, source);
    }
  }

  private static final IpAllowList DENY_ALL = new IpAllowList(List.of());

  private final Range[] ranges;
  private final List<Range> list;

  private IpAllowList(List<Range> ranges) {
    this.list = List.copyOf(ranges);
    this.ranges = this.list.toArray(new Range[0]);
  }

  public static IpAllowList of(List<Range> ranges) {
    return new IpAllowList(ranges);
  }

  public static IpAllowList denyAll() {
    return DENY_ALL;
  }

  /** True when {@code address} falls in one of the ranges. IPv4-mapped IPv6 addresses count as IPv4. */
  public boolean allows(InetAddress address) {
    if (address == null) {
      return false;
    }
    byte[] bytes = canonical(address).getAddress();
    for (Range range : ranges) {
      if (range.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  public List<Range> ranges() {
    return list;
  }

  /** The distinct entries (as written in the file) this list was built from, in order. */
  public List<String> sources() {
    return list.stream().map(Range::source).distinct().toList();
  }

  /** An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) as the IPv4 address it carries. */
  static InetAddress canonical(InetAddress address) {
    if (address instanceof Inet6Address v6) {
      byte[] b = v6.getAddress();
      boolean mapped = true;
      for (int i = 0; i < 10 && mapped; i++) {
        mapped = b[i] == 0;
      }
      if (mapped && b[10] == (byte) 0xFF && b[11] == (byte) 0xFF) {
        try {
          return Inet4Address.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException impossible) {
          throw new IllegalStateException(impossible);
        }
      }
    }
    return address;
  }
}
