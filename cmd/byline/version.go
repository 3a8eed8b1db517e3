package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// version is set at release builds with
// -ldflags "-X main.version=v1.2.3"; otherwise the module version and
// the VCS revision Go stamps into the binary are shown.
var version string

// versionLine says which byline this is, for --version and bug reports:
// "byline v1.2.3 (abc1234def56, 2026-11-09T08:30:00Z, modified) go1.26.8 linux/amd64".
func versionLine(info *debug.BuildInfo, ok bool) string {
	v := version
	var vcs []string
	if ok {
		if v == "" {
			v = info.Main.Version // "(devel)" for a build from a checkout
		}
		settings := map[string]string{}
		for _, s := range info.Settings {
			settings[s.Key] = s.Value
		}
		if r := settings["vcs.revision"]; r != "" {
			vcs = append(vcs, r[:min(12, len(r))])
		}
		if t := settings["vcs.time"]; t != "" {
			vcs = append(vcs, t)
		}
		if settings["vcs.modified"] == "true" {
			vcs = append(vcs, "modified")
		}
	}
	if v == "" {
		v = "(unknown version)"
	}
	line := "byline " + v
	if len(vcs) > 0 {
		line += " (" + strings.Join(vcs, ", ") + ")"
	}
	return fmt.Sprintf("%s %s %s/%s", line, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

func printVersion(w interface{ Write([]byte) (int, error) }) {
	info, ok := debug.ReadBuildInfo()
	fmt.Fprintln(w, versionLine(info, ok))
}
