// tunables.go — the `go:gogc=...` and `go:memlimit=...` variants: the
// parent sets GOGC and GOMEMLIMIT; here they are read back from the runtime
// (what it actually uses), so a variant that did not take effect is an
// error, never a mislabelled column.
package main

import (
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
)

// checkTunables returns "k=v:verified,..." (or "-") and, on a mismatch, why.
func checkTunables(label string) (report, why string) {
	colon := strings.IndexByte(label, ':')
	if colon < 0 {
		return "-", ""
	}
	var done []string
	for _, kv := range strings.Split(label[colon+1:], ",") {
		k, v, _ := strings.Cut(kv, "=")
		want, got, err := readBack(k, v)
		if err != nil {
			return "-", err.Error()
		}
		if want != got {
			return "-", fmt.Sprintf("tunable %s=%s did not take effect (go reports %d)", k, v, got)
		}
		done = append(done, kv+":verified")
	}
	return strings.Join(done, ","), ""
}

// readBack: the value the variant asks for and the one the runtime has.
func readBack(key, value string) (want, got int64, err error) {
	switch key {
	case "gogc":
		got = int64(debug.SetGCPercent(-1)) // returns the setting; -1 is off
		debug.SetGCPercent(int(got))
		if value == "off" {
			return -1, got, nil
		}
		want, err = strconv.ParseInt(value, 10, 64)
	case "memlimit":
		got = debug.SetMemoryLimit(-1) // a negative limit only reads it
		want, err = parseBytes(value)
	default:
		return 0, 0, fmt.Errorf("go has no tunable '%s'", key)
	}
	if err != nil {
		err = fmt.Errorf("tunable %s: bad value '%s'", key, value)
	}
	return want, got, err
}

// parseBytes reads GOMEMLIMIT's syntax: a count with B, KiB, MiB, GiB, TiB.
func parseBytes(s string) (int64, error) {
	units := []struct {
		suffix string
		shift  uint
	}{{"TiB", 40}, {"GiB", 30}, {"MiB", 20}, {"KiB", 10}, {"B", 0}, {"", 0}}
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			n, err := strconv.ParseInt(strings.TrimSuffix(s, u.suffix), 10, 64)
			return n << u.shift, err
		}
	}
	return 0, fmt.Errorf("bad size")
}
