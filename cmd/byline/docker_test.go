package main

import (
	"bufio"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/byline-news/byline/config"
)

// TestDockerfile checks what the image promises, since the image cannot
// be built here: every base pinned by digest, the listener's port
// exposed, the health check done by the binary itself (distroless has
// no curl), and a build context without .git or databases.
func TestDockerfile(t *testing.T) {
	data, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	df := string(data)
	args := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^ARG (\w+)=(\S*)$`).FindAllStringSubmatch(df, -1) {
		args[m[1]] = m[2]
	}
	froms := regexp.MustCompile(`(?m)^FROM (\S+)`).FindAllStringSubmatch(df, -1)
	if len(froms) < 2 {
		t.Fatalf("want a build and a runtime stage, found %d FROM lines", len(froms))
	}
	pinned := regexp.MustCompile(`^[\w./-]+:[\w.-]+@sha256:[0-9a-f]{64}$`)
	for _, m := range froms {
		img := m[1]
		if strings.HasPrefix(img, "${") {
			img = args[strings.Trim(img, "${}")]
		}
		if !pinned.MatchString(img) {
			t.Errorf("FROM %s is not pinned by digest (tag@sha256:…)", m[1])
		}
	}
	c, err := config.Load(func(k string) string { return map[string]string{"BYLINE_DB": "/data/byline.db"}[k] })
	if err != nil {
		t.Fatal(err)
	}
	port := c.HTTPAddr[strings.LastIndex(c.HTTPAddr, ":")+1:]
	for _, want := range []string{"EXPOSE " + port, `CMD ["/usr/local/bin/byline", "healthcheck"]`, "HEALTHCHECK ", "USER nonroot"} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}

	f, err := os.Open("../../.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ignored := map[string]bool{}
	for sc := bufio.NewScanner(f); sc.Scan(); {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			ignored[line] = true
		}
	}
	for _, want := range []string{".git", "*.db", "*.db-wal", "*.db-shm"} {
		if !ignored[want] {
			t.Errorf(".dockerignore does not exclude %s", want)
		}
	}
}
