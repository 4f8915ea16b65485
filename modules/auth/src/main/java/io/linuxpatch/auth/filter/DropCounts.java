package io.linuxpatch.auth.filter;

import java.time.Instant;
import java.util.Map;

/**
 * Connections the {@link AcceptFilter} dropped during one interval, for a rate-limited audit record
 * (SEC-3: every drop is audited, but a flood must not fill the disk).
 *
 * @param byAddress      drops per source IP, for at most {@link AcceptFilter#MAX_TRACKED_ADDRESSES} addresses
 * @param total          every drop of the interval, including those of untracked addresses
 * @param otherAddresses drops from addresses beyond the tracked ones (a spoofed or distributed flood)
 * @param since          start of the interval
 * @param until          end of the interval (when it was drained)
 */
public record DropCounts(Map<String, Long> byAddress, long total, long otherAddresses, Instant since,
    Instant until) {

  public DropCounts {
    byAddress = Map.copyOf(byAddress);
  }

  public boolean isEmpty() {
    return total == 0;
  }
}
