//go:build e2e && deploy

package e2e

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// distPlatform is one archive that make dist must produce.
type distPlatform struct {
	os, arch string
	// isFor reports whether an executable was built for this platform.
	isFor func(io.ReaderAt) error
}

var distPlatforms = []distPlatform{
	{"linux", "amd64", elfFor(elf.EM_X86_64)},
	{"linux", "arm64", elfFor(elf.EM_AARCH64)},
	{"darwin", "arm64", machoFor(macho.CpuArm64)},
	{"windows", "amd64", peFor(pe.IMAGE_FILE_MACHINE_AMD64)},
}

// TestDeployDistArchives: every archive of make dist is there, matches its
// line in checksums.txt and holds an executable for its platform; the one
// for this machine prints the version make stamped.
func TestDeployDistArchives(t *testing.T) {
	dir := requiredFlag(t, "dist", *distFlag)
	version := requiredFlag(t, "version", *versionFlag)
	sums := readChecksums(t, filepath.Join(dir, "checksums.txt"))
	if len(sums) != len(distPlatforms) {
		t.Errorf("checksums.txt lists %d files, want %d: %v", len(sums), len(distPlatforms), sums)
	}
	ran := false
	for _, p := range distPlatforms {
		t.Run(p.os+"_"+p.arch, func(t *testing.T) {
			name := fmt.Sprintf("otelcol-onepassword_%s_%s_%s", version, p.os, p.arch)
			archive, exe := name+".tar.gz", "otelcol-onepassword"
			if p.os == "windows" {
				archive, exe = name+".zip", "otelcol-onepassword.exe"
			}
			archivePath := filepath.Join(dir, archive)
			body, err := os.ReadFile(archivePath)
			if err != nil {
				t.Fatalf("make dist produced no %s: %v", archive, err)
			}
			sum := sha256.Sum256(body)
			if got, want := sums[archive], hex.EncodeToString(sum[:]); got != want {
				t.Errorf("checksums.txt says %s for %s, its SHA-256 is %s", got, archive, want)
			}
			bin := extractMember(t, archivePath, path.Join(name, exe))
			if err := p.isFor(bytesReaderAt(bin)); err != nil {
				t.Errorf("%s in %s: %v", exe, archive, err)
			}
			if p.os != runtime.GOOS || p.arch != runtime.GOARCH {
				return
			}
			ran = true
			binPath := filepath.Join(t.TempDir(), exe)
			if err := os.WriteFile(binPath, bin, 0o755); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(binPath, "--version").CombinedOutput()
			if err != nil {
				t.Fatalf("%s --version: %v\n%s", exe, err, out)
			}
			if got, want := strings.TrimSpace(string(out)), "otelcol-onepassword version "+version; got != want {
				t.Errorf("--version printed %q, want %q", got, want)
			}
		})
	}
	if !ran {
		t.Errorf("no archive for this machine (%s/%s): --version was not checked", runtime.GOOS, runtime.GOARCH)
	}
}

// readChecksums reads sha256sum's output: "<hex>  <file>" per line.
func readChecksums(t *testing.T, p string) map[string]string {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatalf("make dist produced no checksums file: %v", err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, file, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("checksums.txt: malformed line %q", sc.Text())
		}
		out[file] = sum
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// extractMember returns the file member of a .tar.gz or .zip archive.
func extractMember(t *testing.T, archive, member string) []byte {
	t.Helper()
	if strings.HasSuffix(archive, ".zip") {
		zr, err := zip.OpenReader(archive)
		if err != nil {
			t.Fatalf("%s: %v", archive, err)
		}
		defer zr.Close()
		f, err := zr.Open(member)
		if err != nil {
			t.Fatalf("%s holds no %s: %v", archive, member, err)
		}
		defer f.Close()
		b, err := io.ReadAll(f)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	f, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", archive, err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			t.Fatalf("%s holds no %s", archive, member)
		}
		if err != nil {
			t.Fatalf("%s: %v", archive, err)
		}
		if h.Name != member {
			continue
		}
		if h.Mode&0o111 == 0 {
			t.Errorf("%s in %s is not executable (mode %o)", member, archive, h.Mode)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
}

type bytesReaderAt []byte

func (b bytesReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(len(b)) {
		return 0, io.EOF
	}
	n := copy(p, b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func elfFor(machine elf.Machine) func(io.ReaderAt) error {
	return func(r io.ReaderAt) error {
		f, err := elf.NewFile(r)
		if err != nil {
			return fmt.Errorf("not an ELF executable: %w", err)
		}
		if f.Machine != machine {
			return fmt.Errorf("built for %s, want %s", f.Machine, machine)
		}
		// CGO_ENABLED=0: static, no interpreter to load libc.
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				return fmt.Errorf("dynamically linked (has PT_INTERP); the image is FROM scratch")
			}
		}
		return nil
	}
}

func machoFor(cpu macho.Cpu) func(io.ReaderAt) error {
	return func(r io.ReaderAt) error {
		f, err := macho.NewFile(r)
		if err != nil {
			return fmt.Errorf("not a Mach-O executable: %w", err)
		}
		if f.Cpu != cpu {
			return fmt.Errorf("built for %s, want %s", f.Cpu, cpu)
		}
		return nil
	}
}

func peFor(machine uint16) func(io.ReaderAt) error {
	return func(r io.ReaderAt) error {
		f, err := pe.NewFile(r)
		if err != nil {
			return fmt.Errorf("not a PE executable: %w", err)
		}
		if f.Machine != machine {
			return fmt.Errorf("built for machine %#x, want %#x", f.Machine, machine)
		}
		return nil
	}
}
