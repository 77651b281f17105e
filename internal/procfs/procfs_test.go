package procfs

import (
	"os"
	"os/exec"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"
)

func TestReadAChild(t *testing.T) {
	home := t.TempDir()
	cmd := exec.Command("sleep", "30")
	cmd.Dir, cmd.Env = home, []string{"HOME=" + home}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	pid := cmd.Process.Pid
	p, ok := Read(pid)
	if !ok || p.PID != pid || p.PPID != os.Getpid() || p.PGrp != pid || p.Zombie() {
		t.Errorf("Read(%d) = %+v, %v; want our live child, leader of its own group", pid, p, ok)
	}
	// Start returns once the exec has begun (its close-on-exec pipe closes), which is before the
	// kernel has laid out the new program's environment: until then environ reads empty.
	env := Environ(pid)
	for end := time.Now().Add(5 * time.Second); len(env) == 0 && time.Now().Before(end); env = Environ(pid) {
		runtime.Gosched()
	}
	if Cwd(pid) != home || !slices.Equal(env, []string{"HOME=" + home}) {
		t.Errorf("cwd %q, environment %q; want %q and only HOME", Cwd(pid), env, home)
	}
	found := false
	for _, q := range All() {
		found = found || q.PID == pid
	}
	if !found {
		t.Errorf("All() misses the child %d", pid)
	}
	cmd.Process.Kill()
	cmd.Process.Wait()
	if _, ok := Read(pid); ok {
		t.Errorf("Read of a reaped process reports it")
	}
}
