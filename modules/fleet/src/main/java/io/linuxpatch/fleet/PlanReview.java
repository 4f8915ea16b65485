package io.linuxpatch.fleet;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The merged review of many hosts' plans: one row per change (action, package, from version, to version) with the
 * hosts it happens on, so that an operator reads one table instead of one plan per host.
 */
public final class PlanReview {

  /** One change and where it happens. */
  public record Change(String action, String name, String from, String to, List<Host> hosts) {
  }

  private PlanReview() {
  }

  public static List<Change> of(List<HostPlan> plans) {
    Map<String, Change> changes = new TreeMap<>();
    for (HostPlan plan : plans) {
      if (plan.plan() == null) {
        continue;
      }
      for (String action : HostPlan.ACTIONS) {
        JsonArray list = plan.plan().getJsonArray(action, new JsonArray());
        for (Object item : list) {
          JsonObject step = (JsonObject) item;
          String name = step.getString("name");
          String from = step.getString("from_version");
          String to = step.getString("to_version");
          String key = name + "\u0000" + action + "\u0000" + from + "\u0000" + to;
          changes.computeIfAbsent(key, k -> new Change(action, name, from, to, new ArrayList<>())).hosts()
              .add(plan.host());
        }
      }
    }
    return List.copyOf(changes.values());
  }

  public static Table table(List<Change> changes, int hostCount) {
    Table table = new Table("PACKAGE", "ACTION", "FROM", "TO", "HOSTS");
    for (Change change : changes) {
      table.row(change.name(), change.action(), change.from(), change.to(),
          change.hosts().size() + "/" + hostCount + (change.hosts().size() < hostCount ? " " + change.hosts() : ""));
    }
    return table;
  }
}
