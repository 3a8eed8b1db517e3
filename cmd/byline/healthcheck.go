package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

func runHealthcheck(ctx context.Context, a *app, args []string) error {
	var addr string
	var timeout time.Duration
	fs := a.flags("healthcheck", "", `
Checks that a running "byline serve" answers: GETs /healthz on its
listener (BYLINE_HTTP_ADDR, default :8080; an address without a host,
or 0.0.0.0, is reached at 127.0.0.1) and exits 0 when it answers 200 OK,
1 otherwise. The container image uses it for HEALTHCHECK, since its
distroless base has no curl.

Examples:
  byline healthcheck
  byline healthcheck --addr 127.0.0.1:9000`)
	fs.StringVar(&addr, "addr", "", "the listener's `host:port` (default BYLINE_HTTP_ADDR)")
	fs.DurationVar(&timeout, "timeout", 3*time.Second, "give up after this long")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if addr == "" {
		addr = a.cfg.HTTPAddr
	}
	u, err := healthURL(addr)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := checkHealth(ctx, u); err != nil {
		return fmt.Errorf("unhealthy: %w", err)
	}
	fmt.Fprintln(a.out, "ok:", u)
	return nil
}

// healthURL is the /healthz URL of a listener address as serve takes it
// (":8080", "0.0.0.0:8080", "[::]:8080", "host:8080").
func healthURL(addr string) (string, error) {
	host, port, err := net.SplitHostPort(strings.TrimSpace(addr))
	if err != nil || port == "" {
		return "", fmt.Errorf("listener address %q: want host:port or :port", addr)
	}
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::":
		host = "::1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz", nil
}

func checkHealth(ctx context.Context, u string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	// No proxy from the environment: the listener is on this host.
	client := &http.Client{Transport: &http.Transport{Proxy: nil}}
	resp, err := client.Do(req)
	if err != nil {
		return err // "Get "http://…/healthz": dial tcp …: connection refused"
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s: %s", u, resp.Status, strings.TrimSpace(string(body)))
	}
	return nil
}
