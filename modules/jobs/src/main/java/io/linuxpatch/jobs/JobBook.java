package io.linuxpatch.jobs;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.ServiceFailure;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The jobs this agent knows, as JobVerticle's parts share them: every job by id (the history, in creation order),
 * the queue of pending package jobs in submission order, the job running now, and the Idempotency-Key index (API-5).
 * Touched on JobVerticle's context only, so it needs no lock.
 */
final class JobBook {

  private final Map<UUID, Job> jobs = new LinkedHashMap<>();
  private final Deque<Job> queue = new ArrayDeque<>();
  private final IdempotencyIndex idempotency = new IdempotencyIndex();
  private Job running;

  /** Every known job, in creation order. */
  Collection<Job> all() {
    return jobs.values();
  }

  int size() {
    return jobs.size();
  }

  /** The job with this id, or null (also for a malformed id). */
  Job find(String id) {
    return jobs.get(parseId(id));
  }

  /** The job with this id, or null after failing {@code message} with JOB_NOT_FOUND (also for a malformed id). */
  Job findOrFail(Message<?> message, String id) {
    Job job = find(id);
    if (job == null) {
      ServiceFailure.fail(message, ErrorCode.JOB_NOT_FOUND, "no job " + id, new JsonObject().put("job_id", id));
    }
    return job;
  }

  /** Whether {@code job} is still in the history (not deleted, not dropped by retention). */
  boolean holds(Job job) {
    return jobs.containsKey(job.id());
  }

  /** Adds a job to the history and its key, if any, to the idempotency index. */
  void add(Job job) {
    jobs.put(job.id(), job);
    idempotency.add(job);
  }

  /** Removes a finished job from the history and the idempotency index. */
  void remove(Job job) {
    jobs.remove(job.id());
    idempotency.remove(job);
  }

  IdempotencyIndex idempotency() {
    return idempotency;
  }

  /** The pending package jobs, in submission order. */
  Deque<Job> queue() {
    return queue;
  }

  /** The job running now, or null. */
  Job running() {
    return running;
  }

  void running(Job job) {
    running = job;
  }

  /** The package job that blocks a reboot: the one running, else the first waiting; null when there is none. */
  Job busyWithPackages() {
    if (running != null && running.operation().usesPackageManager()) {
      return running;
    }
    return queue.peek();
  }

  private static UUID parseId(String id) {
    try {
      return id == null ? null : UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
