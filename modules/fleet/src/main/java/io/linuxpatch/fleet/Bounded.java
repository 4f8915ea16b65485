package io.linuxpatch.fleet;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs one asynchronous step per host with at most {@code bound} in flight, and gathers the results in the hosts'
 * order. A step should turn its own failures into a result: a host that does not answer must not stop the others.
 */
public final class Bounded {

  private Bounded() {
  }

  public static <T> Future<List<T>> map(List<Host> hosts, int bound, Function<Host, Future<T>> step) {
    List<T> results = new ArrayList<>(Collections.nCopies(hosts.size(), null));
    Promise<List<T>> done = Promise.promise();
    if (hosts.isEmpty()) {
      return Future.succeededFuture(results);
    }
    AtomicInteger next = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    Runnable[] worker = new Runnable[1];
    worker[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= hosts.size()) {
        return;
      }
      Future<T> result;
      try {
        result = step.apply(hosts.get(i));
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onComplete(r -> {
        if (r.failed()) {
          done.tryFail(r.cause());
          return;
        }
        results.set(i, r.result());
        if (finished.incrementAndGet() == hosts.size()) {
          done.tryComplete(results);
        } else {
          worker[0].run();
        }
      });
    };
    for (int w = 0; w < Math.max(1, bound); w++) {
      worker[0].run();
    }
    return done.future();
  }
}
