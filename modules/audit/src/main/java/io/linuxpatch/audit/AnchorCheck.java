package io.linuxpatch.audit;

import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The verifier's comparison of a log with the chain heads known from outside it (AUD-5): every anchored seq must
 * be in the log with the anchored hash. A log that ends before an anchor was cut (or replaced); a different hash
 * at an anchored seq means the chain was recomputed from there or before.
 */
final class AnchorCheck {

  private final TreeMap<Long, Anchor> anchors = new TreeMap<>();
  private int checked;

  AnchorCheck(List<Anchor> given) {
    for (Anchor anchor : given) {
      // Of two anchors for one seq, the one with a hash says more.
      anchors.merge(anchor.seq(), anchor, (a, b) -> a.hash() != null ? a : b);
    }
  }

  /** Checks one record of the log; returns why it contradicts an anchor, or empty. */
  Optional<String> check(long seq, String hash) {
    Anchor anchor = anchors.get(seq);
    if (anchor == null) {
      return Optional.empty();
    }
    checked++;
    if (anchor.hash() != null && !anchor.hash().equals(hash)) {
      return Optional.of("differs from the anchor " + anchor.source() + " (hash " + anchor.hash()
          + "): the log was rewritten from this record or before");
    }
    return Optional.empty();
  }

  /** After the last record ({@code lastSeq}, 0 for an empty log): an anchor beyond it means records are gone. */
  Optional<String> end(long lastSeq) {
    Long beyond = anchors.higherKey(lastSeq);
    if (beyond == null) {
      return Optional.empty();
    }
    Anchor anchor = anchors.get(beyond);
    return Optional.of("the log ends at seq " + lastSeq + " but seq " + anchor.seq() + " is anchored ("
        + anchor.source() + "): records were removed from its end, or the log was replaced");
  }

  /** Anchors compared with a record of the log (those older than its first record cannot be). */
  int checked() {
    return checked;
  }
}
