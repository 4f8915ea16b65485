package io.linuxpatch.enrollment;

import io.linuxpatch.system.HostPaths;
import io.linuxpatch.system.OsRelease;
import io.netty.util.NetUtil;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who this host is, as the enrollment request tells the manager (ENR): machine id, host name, FQDN, the address
 * it reaches the manager from, os-release, and the names and addresses its certificate should carry.
 *
 * @param machineId   /etc/machine-id, or null when the host has none
 * @param hostname    the kernel's host name
 * @param fqdn        the canonical name, else the host name
 * @param ipAddress   the local address of the route to the manager
 * @param osDetails   os-release(5) as endpoint 9 reports it
 * @param dnsNames    SAN DNS names for the CSR
 * @param ipAddresses SAN addresses for the CSR
 */
public record HostIdentity(String machineId, String hostname, String fqdn, String ipAddress, JsonObject osDetails,
    List<String> dnsNames, List<String> ipAddresses) {

  private static final Pattern DNS_NAME =
      Pattern.compile("(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

  public HostIdentity {
    osDetails = osDetails.copy();
    dnsNames = List.copyOf(dnsNames);
    ipAddresses = List.copyOf(ipAddresses);
  }

  /**
   * Reads the host's facts. Blocking (files, a name lookup, the routing table): call it from a worker.
   *
   * @param manager the manager, whose route decides {@code ip_address}
   */
  public static HostIdentity detect(HostPaths paths, ManagerUrl manager) {
    String hostname = kernelHostname();
    String fqdn = canonicalName(hostname);
    String ip = routeTo(manager).orElseGet(() -> firstAddress().orElse("127.0.0.1"));
    Set<String> dns = new LinkedHashSet<>();
    for (String name : List.of(fqdn, hostname)) {
      if (DNS_NAME.matcher(name).matches()) {
        dns.add(name);
      }
    }
    Set<String> ips = new LinkedHashSet<>();
    ips.add(ip);
    ips.addAll(interfaceAddresses());
    return new HostIdentity(readMachineId(paths), hostname, fqdn, ip, osRelease(paths).toJson(), new ArrayList<>(dns),
        new ArrayList<>(ips));
  }

  /** The registration body of the protocol, with the agent's CSR (our extension). */
  public JsonObject requestBody(String csrPem) {
    return new JsonObject()
        .put("machine_id", machineId)
        .put("fqdn", fqdn)
        .put("ip_address", ipAddress)
        .put("os_details", osDetails.copy())
        .put("hostname", hostname)
        .put("csr", csrPem);
  }

  /** The CSR's subject name: the FQDN when it is a DNS name, else the host name. */
  public String commonName() {
    return dnsNames.isEmpty() ? hostname : dnsNames.get(0);
  }

  public JsonObject summary() {
    return new JsonObject().put("machine_id", machineId).put("fqdn", fqdn).put("hostname", hostname)
        .put("ip_address", ipAddress).put("dns_names", new JsonArray(dnsNames))
        .put("ip_addresses", new JsonArray(ipAddresses));
  }

  private static String kernelHostname() {
    try {
      String name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
      if (!name.isEmpty()) {
        return name;
      }
    } catch (IOException | RuntimeException notLinux) {
      // other systems: the resolver's idea below
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  private static String canonicalName(String hostname) {
    try {
      String canonical = InetAddress.getByName(hostname).getCanonicalHostName();
      // Without a DNS or /etc/hosts entry the canonical name is an address or localhost: the host name is all there is.
      if (canonical != null && !canonical.isBlank() && !canonical.startsWith("localhost")
          && !canonical.contains(":") && !Character.isDigit(canonical.charAt(canonical.length() - 1))
          && canonical.contains(".")) {
        return canonical;
      }
    } catch (UnknownHostException | RuntimeException e) {
      // no resolver entry for our own name
    }
    return hostname;
  }

  /** The source address the kernel picks for the manager: a connected UDP socket sends nothing. */
  private static Optional<String> routeTo(ManagerUrl manager) {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.connect(new InetSocketAddress(InetAddress.getByName(manager.host()), manager.port()));
      InetAddress local = socket.getLocalAddress();
      return local == null || local.isAnyLocalAddress() ? Optional.empty() : Optional.of(literal(local));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> firstAddress() {
    List<String> all = interfaceAddresses();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  /** Addresses of the interfaces that are up, neither loopback nor link-local. */
  private static List<String> interfaceAddresses() {
    List<String> out = new ArrayList<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (!address.isLinkLocalAddress() && !address.isLoopbackAddress()) {
            out.add(literal(address));
          }
        }
      }
    } catch (SocketException | RuntimeException e) {
      // no interfaces to list: the route's address is enough
    }
    return out;
  }

  /** The address as an operator writes it (IPv6 compressed, no scope). */
  static String literal(InetAddress address) {
    if (address instanceof Inet6Address) {
      try {
        address = InetAddress.getByAddress(address.getAddress());
      } catch (UnknownHostException impossible) {
        // 16 bytes always make an address
      }
    }
    return NetUtil.toAddressString(address);
  }

  private static String readMachineId(HostPaths paths) {
    for (Path file : paths.machineId()) {
      try {
        String id = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (!id.isEmpty()) {
          return id;
        }
      } catch (IOException | RuntimeException e) {
        // try the next location
      }
    }
    return null;
  }

  private static OsRelease osRelease(HostPaths paths) {
    for (Path file : paths.osRelease()) {
      try {
        return OsRelease.parse(Files.readString(file, StandardCharsets.UTF_8));
      } catch (IOException | RuntimeException e) {
        // try the next location
      }
    }
    return OsRelease.UNKNOWN;
  }
}
