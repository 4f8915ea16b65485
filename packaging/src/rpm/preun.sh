# linux-patch-api %preun: on erase (not on an upgrade) stop and disable the unit and drop the start-up archives,
# which belong to the jar that goes.
if [ "$1" -eq 0 ]; then
  if [ -d /run/systemd/system ]; then
    systemctl --no-reload disable --now linux-patch-api.service >/dev/null 2>&1 || :
  elif command -v systemctl >/dev/null 2>&1; then
    systemctl --no-reload disable linux-patch-api.service >/dev/null 2>&1 || :
  fi
  rm -f /var/cache/linux-patch-api/agent-* /var/cache/linux-patch-api/build.log 2>/dev/null || :
fi
exit 0
