package io.linuxpatch.auth.allowlist;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns an allow-list host name into every address it has (A and AAAA records). Blocking: call it only
 * from a worker thread. An interface so that tests can answer without DNS.
 */
@FunctionalInterface
public interface HostResolver {

  /** The system resolver (/etc/hosts, then DNS), every address of both families. */
  HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

  /** Every address of {@code host}; never empty — a name without addresses throws instead. */
  List<InetAddress> resolve(String host) throws UnknownHostException;
}
