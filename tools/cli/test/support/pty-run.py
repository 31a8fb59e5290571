# Runs a command in a real pseudo-terminal: the child sees a TTY on stdin,
# stdout and stderr (as in a terminal window, 120x30); what it writes comes
# out on our stdout, what we read on stdin is typed into it (so "\x03" is a
# real Ctrl-C through the line discipline). Exits with the child's code
# (128+N when killed by signal N). Killing this process hangs up the child.
import fcntl, os, pty, select, struct, sys, termios

pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 30, 120, 0, 0))
stdin_open = True
while True:
    ready, _, _ = select.select([fd] + ([0] if stdin_open else []), [], [], 0.2)
    if fd in ready:
        try:
            data = os.read(fd, 65536)
        except OSError:  # EIO: the child closed its side
            data = b''
        if not data:
            break
        os.write(1, data)
    if 0 in ready:
        data = os.read(0, 65536)
        if data:
            os.write(fd, data)
        else:
            stdin_open = False
_, status = os.waitpid(pid, 0)
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
