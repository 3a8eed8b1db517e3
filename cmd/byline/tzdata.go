package main

// The IANA time zone database, compiled in: daily briefings are
// scheduled in zones such as Europe/London, and the static binary runs
// in images (distroless, scratch) that have no /usr/share/zoneinfo.
import _ "time/tzdata"
