package io.linuxpatch.contract.config;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Set;

/**
 * One entry of {@code jobs.maintenance_windows}: days and a time range in the host's time zone, written
 * like a crontab's day field — {@code "* 02:00-04:00"}, {@code "Sat,Sun 01:00-05:00"},
 * {@code "Mon-Fri 22:00-02:00"} (a range past midnight belongs to the day it starts on).
 */
public record MaintenanceWindow(Set<DayOfWeek> days, LocalTime start, LocalTime end, String text) {

  public MaintenanceWindow {
    days = Set.copyOf(days);
  }

  /** Parses one entry; the message of the exception says what is wrong with it. */
  public static MaintenanceWindow parse(String text) {
    String[] parts = text.trim().split("\\s+");
    if (parts.length != 2) {
      throw new IllegalArgumentException("expected \"DAYS HH:MM-HH:MM\" (e.g. \"Mon-Fri 22:00-02:00\"), got \"" + text + "\"");
    }
    String[] times = parts[1].split("-");
    if (times.length != 2) {
      throw new IllegalArgumentException("expected a time range HH:MM-HH:MM, got \"" + parts[1] + "\"");
    }
    LocalTime start = time(times[0]);
    LocalTime end = time(times[1]);
    if (start.equals(end)) {
      throw new IllegalArgumentException("the window " + parts[1] + " is empty");
    }
    return new MaintenanceWindow(days(parts[0]), start, end, text.trim());
  }

  /** Whether {@code when} (local time) falls inside the window. */
  public boolean contains(LocalDateTime when) {
    LocalTime t = when.toLocalTime();
    if (start.isBefore(end)) {
      return days.contains(when.getDayOfWeek()) && !t.isBefore(start) && t.isBefore(end);
    }
    // Past midnight: the evening part is on a listed day, the morning part on the day after one.
    return (days.contains(when.getDayOfWeek()) && !t.isBefore(start))
        || (days.contains(when.getDayOfWeek().minus(1)) && t.isBefore(end));
  }

  /** The first opening strictly after {@code after} (local time). */
  public LocalDateTime nextOpening(LocalDateTime after) {
    for (int day = 0; day <= 7; day++) {
      LocalDateTime candidate = after.toLocalDate().plusDays(day).atTime(start);
      if (candidate.isAfter(after) && days.contains(candidate.getDayOfWeek())) {
        return candidate;
      }
    }
    throw new IllegalStateException("a window with days " + days + " never opens");
  }

  private static LocalTime time(String text) {
    try {
      return LocalTime.parse(text.length() == 4 ? "0" + text : text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("\"" + text + "\" is not a time HH:MM");
    }
  }

  private static Set<DayOfWeek> days(String text) {
    if (text.equals("*")) {
      return EnumSet.allOf(DayOfWeek.class);
    }
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String item : text.split(",")) {
      String[] range = item.split("-");
      if (range.length == 1) {
        days.add(day(range[0]));
      } else if (range.length == 2) {
        DayOfWeek from = day(range[0]);
        DayOfWeek to = day(range[1]);
        for (DayOfWeek d = from; ; d = d.plus(1)) {
          days.add(d);
          if (d == to) {
            break;
          }
        }
      } else {
        throw new IllegalArgumentException("\"" + item + "\" is not a day or a range of days");
      }
    }
    return days;
  }

  private static DayOfWeek day(String text) {
    for (DayOfWeek d : DayOfWeek.values()) {
      if (d.name().substring(0, 3).equalsIgnoreCase(text)) {
        return d;
      }
    }
    throw new IllegalArgumentException("\"" + text + "\" is not a day (Mon, Tue, Wed, Thu, Fri, Sat, Sun or *)");
  }
}
