package io.linuxpatch.contract.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link IpAllowList}: exact addresses and CIDR blocks of both families, deny by default (SEC-4). */
@Tag("SEC-4")
class IpAllowListTest {

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** An {@code ::ffff:a.b.c.d} address that stays an Inet6Address, as a dual-stack socket may report it. */
  private static InetAddress mapped(int a, int b, int c, int d) throws UnknownHostException {
    byte[] bytes = new byte[16];
    bytes[10] = (byte) 0xFF;
    bytes[11] = (byte) 0xFF;
    bytes[12] = (byte) a;
    bytes[13] = (byte) b;
    bytes[14] = (byte) c;
    bytes[15] = (byte) d;
    return Inet6Address.getByAddress(null, bytes, null);
  }

  private static IpAllowList cidr(String network, int prefix) {
    return IpAllowList.of(List.of(IpAllowList.Range.of(ip(network), prefix, network + "/" + prefix)));
  }

  @Test
  @DisplayName("The deny-all list and an empty list allow nobody, not even loopback, and never a null address")
  void denyAll() {
    for (IpAllowList list : List.of(IpAllowList.denyAll(), IpAllowList.of(List.of()))) {
      assertThat(list.allows(ip("127.0.0.1"))).isFalse();
      assertThat(list.allows(ip("::1"))).isFalse();
      assertThat(list.allows(null)).isFalse();
    }
    assertThat(cidr("0.0.0.0", 0).allows(null)).isFalse();
  }

  @Test
  @DisplayName("An exact IPv4 entry allows that address only")
  void v4Exact() {
    IpAllowList list = IpAllowList.of(List.of(IpAllowList.Range.of(ip("10.0.0.1"), "10.0.0.1")));
    assertThat(list.allows(ip("10.0.0.1"))).isTrue();
    assertThat(list.allows(ip("10.0.0.2"))).isFalse();
    assertThat(list.allows(ip("10.0.0.0"))).isFalse();
    assertThat(list.allows(ip("11.0.0.1"))).isFalse();
  }

  @ParameterizedTest(name = "{0}/{1} allows {2}: {3}")
  @CsvSource({
      "0.0.0.0, 0, 1.2.3.4, true",
      "0.0.0.0, 0, 255.255.255.255, true",
      "10.0.0.0, 8, 10.0.0.0, true",
      "10.0.0.0, 8, 10.255.255.255, true",
      "10.0.0.0, 8, 11.0.0.0, false",
      "10.0.0.0, 8, 9.255.255.255, false",
      "10.9.8.7, 8, 10.1.1.1, true",
      "192.168.1.0, 31, 192.168.1.0, true",
      "192.168.1.0, 31, 192.168.1.1, true",
      "192.168.1.0, 31, 192.168.1.2, false",
      "192.168.1.0, 31, 192.168.0.255, false",
      "192.168.1.5, 32, 192.168.1.5, true",
      "192.168.1.5, 32, 192.168.1.4, false",
      "172.16.0.0, 12, 172.31.255.255, true",
      "172.16.0.0, 12, 172.32.0.0, false",
  })
  @DisplayName("An IPv4 CIDR block allows exactly the addresses inside its prefix")
  void v4Cidr(String network, int prefix, String address, boolean allowed) {
    assertThat(cidr(network, prefix).allows(ip(address))).isEqualTo(allowed);
  }

  @ParameterizedTest(name = "{0}/{1} allows {2}: {3}")
  @CsvSource({
      "2001:db8::1, 128, 2001:db8::1, true",
      "2001:db8::1, 128, 2001:db8::2, false",
      "2001:db8:1:2::, 64, 2001:db8:1:2::1, true",
      "2001:db8:1:2::, 64, 2001:db8:1:2:ffff:ffff:ffff:ffff, true",
      "2001:db8:1:2::, 64, 2001:db8:1:3::, false",
      "2001:db8:1:2::, 64, 2001:db8:1:1:ffff:ffff:ffff:ffff, false",
      "::, 0, ::1, true",
      "fe80::, 10, febf::1, true",
      "fe80::, 10, fec0::1, false",
  })
  @DisplayName("An IPv6 entry or block allows exactly the addresses inside its prefix")
  void v6(String network, int prefix, String address, boolean allowed) {
    assertThat(cidr(network, prefix).allows(ip(address))).isEqualTo(allowed);
  }

  @Test
  @DisplayName("An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is checked as the IPv4 address it carries")
  void mappedMatchesV4() throws UnknownHostException {
    assertThat(mapped(10, 0, 0, 1)).isInstanceOf(Inet6Address.class);
    IpAllowList exact = IpAllowList.of(List.of(IpAllowList.Range.of(ip("10.0.0.1"), "10.0.0.1")));
    assertThat(exact.allows(mapped(10, 0, 0, 1))).isTrue();
    assertThat(exact.allows(mapped(10, 0, 0, 2))).isFalse();
    assertThat(cidr("10.0.0.0", 8).allows(mapped(10, 200, 0, 1))).isTrue();
    assertThat(exact.allows(ip("::ffff:10.0.0.1"))).isTrue();
  }

  @Test
  @DisplayName("An IPv4 entry never allows an IPv6 address, even one whose low bytes spell the IPv4 address")
  void v4NeverMatchesV6() {
    IpAllowList any4 = cidr("0.0.0.0", 0);
    assertThat(any4.allows(ip("::1"))).isFalse();
    assertThat(any4.allows(ip("::a00:1"))).isFalse();
    assertThat(any4.allows(ip("2001:db8::10.0.0.1"))).isFalse();
    assertThat(cidr("::", 0).allows(ip("10.0.0.1"))).isFalse();
  }

  @Test
  @DisplayName("Any of several ranges allows; sources lists each entry once in order")
  void severalRanges() {
    IpAllowList list = IpAllowList.of(List.of(
        IpAllowList.Range.of(ip("10.0.0.1"), "host.example"),
        IpAllowList.Range.of(ip("2001:db8::1"), "host.example"),
        IpAllowList.Range.of(ip("192.168.0.0"), 16, "192.168.0.0/16")));
    assertThat(list.allows(ip("2001:db8::1"))).isTrue();
    assertThat(list.allows(ip("192.168.44.1"))).isTrue();
    assertThat(list.allows(ip("10.0.0.2"))).isFalse();
    assertThat(list.sources()).containsExactly("host.example", "192.168.0.0/16");
    assertThat(list.ranges()).hasSize(3);
  }

  @Test
  @DisplayName("A prefix outside 0..32 for IPv4 or 0..128 for IPv6 is refused")
  void prefixOutOfRange() {
    assertThatThrownBy(() -> IpAllowList.Range.of(ip("10.0.0.0"), 33, "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IpAllowList.Range.of(ip("10.0.0.0"), -1, "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IpAllowList.Range.of(ip("::"), 129, "x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("A range keeps its own copy of the network bytes, masked to the prefix")
  void rangeIsImmutable() {
    byte[] bytes = {10, 1, 2, 3};
    IpAllowList.Range range = new IpAllowList.Range(bytes, 16, "10.1.2.3/16");
    bytes[0] = 99;
    assertThat(range.network()).containsExactly(10, 1, 0, 0);
  }
}
