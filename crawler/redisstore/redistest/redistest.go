// Package redistest starts throwaway redis-server processes for tests of
// the distributed crawl.
package redistest

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Start runs a throwaway redis-server on a free 127.0.0.1 port with no
// persistence and returns its URL. The test is skipped when redis-server is
// not installed (Debian: apt-get install redis-server).
func Start(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redis-server not on PATH; install it (apt-get install redis-server) to run the Redis tests")
	}
	var lastErr error
	for range 3 {
		port, err := FreePort()
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "--port", fmt.Sprint(port), "--bind", "127.0.0.1",
			"--save", "", "--appendonly", "no", "--dir", t.TempDir())
		if err := cmd.Start(); err != nil {
			t.Fatalf("start redis-server: %v", err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		stop := func() {
			cmd.Process.Kill()
			<-exited
		}
		addr := fmt.Sprintf("127.0.0.1:%d", port)
		if lastErr = waitRedis(addr, exited); lastErr == nil {
			t.Cleanup(stop)
			return "redis://" + addr + "/0"
		}
		stop()
	}
	t.Fatalf("redis-server did not come up: %v", lastErr)
	return ""
}

// FreePort returns a 127.0.0.1 port that nothing listens on once it returns.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func waitRedis(addr string, exited chan error) error {
	c := redis.NewClient(&redis.Options{Addr: addr})
	defer c.Close()
	deadline := time.Now().Add(10 * time.Second)
	var err error
	for time.Now().Before(deadline) {
		select {
		case werr := <-exited:
			exited <- werr // for the caller's stop
			return fmt.Errorf("redis-server exited: %v", werr)
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err = c.Ping(ctx).Err()
		cancel()
		if err == nil {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return err
}
