//go:build e2e

package bench

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/e2ekit"
)

// soakSample is one look at the collector during the soak.
type soakSample struct {
	elapsed    time.Duration // since the soak began
	run        int           // collector run (1 + kills so far)
	uptime     time.Duration // of this run
	rss        int64         // VmRSS, bytes
	goroutines int           // pprof's total; -1 when the endpoint did not answer
	fds        int           // entries of /proc/<pid>/fd
	storage    int64         // bytes under the file_storage directory
	stored     int           // events the simulator holds
	distinct   int           // distinct uuids the sink received
	received   int           // records the sink received, repeats included
}

var soakCSVHeader = []string{"elapsed_s", "run", "uptime_s", "rss_bytes", "goroutines", "fds", "storage_bytes", "events_stored", "distinct_received", "records_received"}

func (s soakSample) csvRow() []string {
	return []string{
		strconv.FormatFloat(s.elapsed.Seconds(), 'f', 1, 64), strconv.Itoa(s.run),
		strconv.FormatFloat(s.uptime.Seconds(), 'f', 1, 64),
		strconv.FormatInt(s.rss, 10), strconv.Itoa(s.goroutines), strconv.Itoa(s.fds),
		strconv.FormatInt(s.storage, 10), strconv.Itoa(s.stored), strconv.Itoa(s.distinct), strconv.Itoa(s.received),
	}
}

func parseSoakRow(row []string) (soakSample, error) {
	if len(row) != len(soakCSVHeader) {
		return soakSample{}, fmt.Errorf("%d fields, want %d", len(row), len(soakCSVHeader))
	}
	var f [10]float64
	for i, v := range row {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return soakSample{}, fmt.Errorf("field %s: %w", soakCSVHeader[i], err)
		}
		f[i] = x
	}
	sec := func(x float64) time.Duration { return time.Duration(x * float64(time.Second)) }
	return soakSample{
		elapsed: sec(f[0]), run: int(f[1]), uptime: sec(f[2]), rss: int64(f[3]), goroutines: int(f[4]),
		fds: int(f[5]), storage: int64(f[6]), stored: int(f[7]), distinct: int(f[8]), received: int(f[9]),
	}, nil
}

func writeSoakCSV(path string, samples []soakSample) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	_ = w.Write(soakCSVHeader)
	for _, s := range samples {
		_ = w.Write(s.csvRow())
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func readSoakCSV(path string) ([]soakSample, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(bufio.NewReader(f)).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s is empty", path)
	}
	out := make([]soakSample, 0, len(rows)-1)
	for i, row := range rows[1:] {
		s, err := parseSoakRow(row)
		if err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, i+2, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// countFDs counts the process's open file descriptors.
func countFDs(pid int) (int, error) {
	entries, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	return len(entries), err
}

// dirSize adds up the sizes of the regular files under dir (the bbolt
// files of file_storage and their compaction leftovers).
func dirSize(dir string) (int64, error) {
	var total int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			total += info.Size()
		}
		return nil
	})
	return total, err
}

// goroutineCount reads the total from the pprof extension's goroutine
// profile ("goroutine profile: total 123").
func goroutineCount(pprofBase string) (int, error) {
	code, body, err := e2ekit.HTTPGet(pprofBase + "/debug/pprof/goroutine?debug=1")
	if err != nil {
		return 0, err
	}
	if code != 200 {
		return 0, fmt.Errorf("goroutine profile: status %d", code)
	}
	first, _, _ := strings.Cut(body, "\n")
	const prefix = "goroutine profile: total "
	if !strings.HasPrefix(first, prefix) {
		return 0, fmt.Errorf("goroutine profile starts with %q", first)
	}
	return strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(first, prefix)))
}
