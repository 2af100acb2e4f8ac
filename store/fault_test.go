package store

import (
	"sync"

	"github.com/syndtr/goleveldb/leveldb/storage"
)

// faultStorage sits beneath leveldb to stall or fail the journal's writes and fsyncs, so
// tests can hold an fsync in flight or simulate a full disk on a real database.
type faultStorage struct {
	storage.Storage

	mu      sync.Mutex
	failErr error         // when set, journal writes and fsyncs fail with it
	entered chan struct{} // when set, each journal fsync announces itself here...
	release chan struct{} // ...and waits for a receive here before proceeding
	syncs   int
}

func (f *faultStorage) setFailure(err error) {
	f.mu.Lock()
	f.failErr = err
	f.mu.Unlock()
}

// holdSyncs makes every journal fsync wait until release is closed.
func (f *faultStorage) holdSyncs() (entered <-chan struct{}, release chan<- struct{}) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.entered = make(chan struct{}, 64)
	f.release = make(chan struct{})
	return f.entered, f.release
}

func (f *faultStorage) state() (error, chan struct{}, chan struct{}) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.failErr, f.entered, f.release
}

func (f *faultStorage) Create(fd storage.FileDesc) (storage.Writer, error) {
	w, err := f.Storage.Create(fd)
	if err != nil || fd.Type != storage.TypeJournal {
		return w, err
	}
	return &faultWriter{Writer: w, f: f}, nil
}

type faultWriter struct {
	storage.Writer
	f *faultStorage
}

func (w *faultWriter) Write(p []byte) (int, error) {
	if err, _, _ := w.f.state(); err != nil {
		return 0, err
	}
	return w.Writer.Write(p)
}

func (w *faultWriter) Sync() error {
	_, entered, release := w.f.state()
	if entered != nil {
		select {
		case entered <- struct{}{}:
		default:
		}
		<-release
	}
	if err, _, _ := w.f.state(); err != nil {
		return err
	}
	w.f.mu.Lock()
	w.f.syncs++
	w.f.mu.Unlock()
	return w.Writer.Sync()
}

// withFaults returns Options whose storage is wrapped by f.
func withFaults(f *faultStorage, o Options) Options {
	o.wrapStorage = func(s storage.Storage) storage.Storage {
		f.Storage = s
		return f
	}
	return o
}
