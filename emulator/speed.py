"""The speed layer: less work for moto where it spends this machine's CPU, never a different answer.

The emulator runs on the same cores as the code under test, so each CPU second it
spends storing an upload is taken from the delivery it is measuring; on AWS that work
happens on S3's side and costs the client nothing. These patches only change how moto
does its work: every checksum, ETag and object is the same as without them
(speed.test.ts compares both servers). The launcher applies them with the fidelity
layer; `--no-fidelity` runs moto exactly as it ships.
"""
import base64
import ctypes
import io
import os
import threading
import zlib

#: Objects stay in memory. moto otherwise spools every object and part over about 5 MiB
#: to a temporary file, then reads each part back twice to complete a multipart upload.
KEY_BUFFER_BYTES = 64 * 2**30


def apply() -> None:
    os.environ.setdefault("MOTO_S3_DEFAULT_KEY_BUFFER_SIZE", str(KEY_BUFFER_BYTES))
    _keep_freed_memory()
    _free_on_reset()
    _cache_module_list()
    _read_body_in_one_call()
    _store_without_copy()
    _complete_in_one_pass()
    _incremental_full_object_crc32()
    _part_crc32_computed_once()


#: mallopt(3) parameters (glibc's malloc.h).
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD, _M_ARENA_MAX = -1, -3, -8
#: The largest allocation glibc may be told to serve from its heap instead of a mapping of its own.
_MMAP_THRESHOLD_MAX = 32 * 2**20


def _keep_freed_memory() -> None:
    """Every uploaded part arrives as a bytes object of several MiB. glibc gives each one
    a mapping of its own (or trims the heap when it is freed), so the memory an emptied
    server frees goes back to the kernel, and the next upload has the kernel fault in and
    zero as much new memory as it stores (on a virtual machine that returns freed memory to
    its host, the host's page faults come on top). The layer has glibc keep what it frees:
    one arena for every thread, allocations up to 32 MiB from that heap, and no trimming, so
    an upload after `reset()` is stored in memory the server already has. The server's
    memory stays at its peak until it exits. Where the C library is not glibc, nothing
    changes."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt(_M_ARENA_MAX, 1)
    mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD_MAX)
    # -1: never trim (mallopt(3)).
    mallopt(_M_TRIM_THRESHOLD, -1)


def _free_on_reset() -> None:
    """moto's stored objects sit in reference cycles, so what a reset drops is freed only
    when Python's cycle collector next runs, often after the next upload has allocated its
    own memory; the layer collects right after the reset."""
    import gc

    from moto.moto_api._internal.models import MotoAPIBackend

    moto_reset = MotoAPIBackend.reset

    def reset(self):  # type: ignore[no-untyped-def]
        moto_reset(self)
        gc.collect()

    MotoAPIBackend.reset = reset


def _cache_module_list() -> None:
    """moto lists its own package directory (a listdir and a stat per service, about 160)
    on every request to route it; the list cannot change while the server runs."""
    from moto import backends

    modules = tuple(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: iter(modules)


def _read_body_in_one_call() -> None:
    """werkzeug reads a request body 64 KiB at a time into fresh buffers, appends each to a
    growing buffer and copies that into the final bytes: several copies of every uploaded
    byte, in memory newly mapped each time. With a Content-Length the size is known, so the
    layer asks the server's buffered socket reader for all of it at once, which fills one
    bytes object straight from the socket. A body cut short still raises werkzeug's
    ClientDisconnected; a body whose length is only a maximum is read as werkzeug reads it."""
    from werkzeug.wsgi import LimitedStream

    werkzeug_readall = LimitedStream.readall

    def readall(self):  # type: ignore[no-untyped-def]
        remaining = self.limit - self._pos
        if self._limit_is_max or remaining <= 0:
            return werkzeug_readall(self)
        try:
            data = self._stream.read(remaining)
        except (OSError, ValueError) as error:
            self.on_disconnect(error=error)
            return b""
        self._pos += len(data)
        if len(data) < remaining:
            self.on_disconnect()
        return data

    LimitedStream.readall = readall


def _store_without_copy() -> None:
    """moto writes every object and part into a fresh in-memory file, a copy of bytes that
    nothing else keeps (a request's body, a joined object). The layer lets the in-memory
    file share them instead (io.BytesIO over bytes copies only when written to, which moto
    never does: a new value replaces the file), so reading the value back is free as well."""
    from moto.s3 import models

    setter = models.FakeKey.value.fset

    def store(self, new_value):  # type: ignore[no-untyped-def]
        spooled = self._value_buffer
        held = getattr(spooled, "_file", None)
        in_memory = isinstance(held, (io.BytesIO, JoinedOnRead)) and not spooled._rolled
        if isinstance(new_value, Parts) and in_memory and new_value.size <= spooled._max_size:
            spooled._file = JoinedOnRead(new_value)
            self.contentsize = new_value.size
            return
        if isinstance(new_value, Parts):
            new_value = new_value.joined()
        if isinstance(new_value, bytes) and in_memory and len(new_value) <= spooled._max_size:
            spooled._file = io.BytesIO(new_value)
            self.contentsize = len(new_value)
            return
        setter(self, new_value)

    models.FakeKey.value = models.FakeKey.value.setter(store)


def _complete_in_one_pass() -> None:
    """CompleteMultipartUpload as moto 5.2.1 does it (the same checks in the same order, the
    same ETag and checksum), but each part read once and not copied: moto reads every part
    out of its buffer twice, copies it into a growing buffer, and copies that buffer again,
    all while the client waits for the answer. The object keeps its parts' bytes and is
    joined the first time it is read (Parts, JoinedOnRead): joining copies the whole object
    into newly mapped memory (about 0.3 s for 300 MiB on this two-core machine), and an
    uploaded object is often never read back."""
    from moto.s3 import models
    from moto.s3.exceptions import EntityTooSmall, InvalidPart, MalformedXML
    from moto.utilities.utils import md5_hash

    def complete(self, body):  # type: ignore[no-untyped-def]
        checksum_builder = models.MultipartChecksumBuilder(
            self.metadata.get("x-amz-checksum-algorithm"), self.metadata.get("x-amz-checksum-type")
        )
        values = []
        md5s = bytearray()
        last = None
        for part_number, etag in body:
            part = self.parts.get(part_number)
            part_etag = None
            if part is not None:
                part_etag = part.etag.replace('"', "")
                etag = etag.replace('"', "")
            if part is None or part_etag != etag:
                raise InvalidPart()
            if last is not None and last.contentsize < models.S3_UPLOAD_PART_MIN_SIZE:
                raise EntityTooSmall()
            md5s.extend(bytes.fromhex(part_etag))
            # The stored bytes themselves (see _store_without_copy), not a copy.
            value = part.value
            values.append(value)
            checksum_builder.addPart(value, getattr(part, "crc32", None))
            last = part
        if not values:
            raise MalformedXML
        full_etag = md5_hash()
        full_etag.update(bytes(md5s))
        return Parts(values), f"{full_etag.hexdigest()}-{len(values)}", checksum_builder.build()

    models.FakeMultipart.complete = complete


class Parts:
    """A completed multipart object's bytes as its parts' bytes, in order."""

    def __init__(self, values: list[bytes]) -> None:
        self.values = values
        self.size = sum(len(value) for value in values)

    def joined(self) -> bytes:
        return b"".join(self.values)


class JoinedOnRead:
    """The in-memory file of a completed multipart object: its parts until the object is
    first read or changed, then one io.BytesIO over the joined bytes (every file method
    is the BytesIO's from then on). Seeking and telling before that, and closing, do not
    join."""

    def __init__(self, parts: Parts) -> None:
        self._parts: Parts | None = parts
        self._file: io.BytesIO | None = None
        self._position = 0

    def _joined(self) -> io.BytesIO:
        if self._file is None:
            assert self._parts is not None, "read after close"
            self._file = io.BytesIO(self._parts.joined())
            self._parts = None
            self._file.seek(self._position)
        return self._file

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if self._file is None and whence == io.SEEK_SET and offset >= 0:
            self._position = offset
            return offset
        return self._joined().seek(offset, whence)

    def tell(self) -> int:
        return self._position if self._file is None else self._file.tell()

    def close(self) -> None:
        self._parts = None
        if self._file is not None:
            self._file.close()

    @property
    def closed(self) -> bool:
        return self._file.closed if self._file is not None else self._parts is None

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        # Only file methods; private names (looked up by copy and pickle before __init__ ran) are not delegated.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._joined(), name)


def _incremental_full_object_crc32() -> None:
    from moto.s3 import models

    builder = models.MultipartChecksumBuilder

    class IncrementalFullObjectCrc32(builder):  # type: ignore[misc, valid-type]
        """A FULL_OBJECT CRC32 carried from part to part (zlib.crc32 continues a running
        value), instead of computed over a second copy of the whole object assembled for
        the purpose. Other algorithms and types are moto's own."""

        def __init__(self, checksum_algorithm, checksum_type):  # type: ignore[no-untyped-def]
            super().__init__(checksum_algorithm, checksum_type)
            self.running = self.checksum_type == "FULL_OBJECT" and self.checksum_algorithm == "CRC32"
            self.crc = 0

        def addPart(self, part: bytes, part_crc32: int | None = None) -> None:  # noqa: N802 (moto's name)
            if not self.running:
                super().addPart(part)
                return
            if part_crc32 is None:
                self.crc = zlib.crc32(part, self.crc)
            else:
                self.crc = combine_crc32(self.crc, part_crc32, len(part))
            self.part_count += 1

        def build(self):  # type: ignore[no-untyped-def]
            if not self.running:
                return super().build()
            return (self.checksum_type, base64.b64encode(self.crc.to_bytes(4, "big")).decode(), 1)

    models.MultipartChecksumBuilder = IncrementalFullObjectCrc32


_last_body = threading.local()


def body_crc32(body: bytes) -> int:
    """zlib.crc32 of a request body, remembered for the last body of this thread (the same
    bytes object), so the checksum header check and the stored part share one pass."""
    last = getattr(_last_body, "value", None)
    if last is not None and last[0] is body:
        return last[1]
    crc = zlib.crc32(body)
    _last_body.value = (body, crc)
    return crc


def _part_crc32_computed_once() -> None:
    """Each part of a FULL_OBJECT CRC32 upload keeps its CRC32, computed once per body (the
    fidelity layer's check of the part's checksum header and the stored part share it), and
    CompleteMultipartUpload combines the parts' CRC32s (crc32_combine) instead of reading
    every byte again while the client waits."""
    from moto.s3 import models

    import fidelity.checksum_headers as checksum_headers

    checksum_headers.DIGESTS["crc32"] = lambda body: body_crc32(body).to_bytes(4, "big")
    moto_set_part = models.FakeMultipart.set_part

    def set_part(self, part_id, value):  # type: ignore[no-untyped-def]
        key = moto_set_part(self, part_id, value)
        if self.metadata.get("x-amz-checksum-algorithm") == "CRC32" and self.metadata.get("x-amz-checksum-type") == "FULL_OBJECT":
            key.crc32 = body_crc32(value)
        return key

    models.FakeMultipart.set_part = set_part


_POLYNOMIAL = 0xEDB88320


def _multiply(a: int, b: int) -> int:
    """a(x)·b(x) modulo the CRC-32 polynomial, reflected (a must not be zero)."""
    product = 0
    bit = 0x80000000
    while True:
        if a & bit:
            product ^= b
            if not a & (bit - 1):
                return product
        bit >>= 1
        b = (b >> 1) ^ _POLYNOMIAL if b & 1 else b >> 1


_X_TO_TWO_TO_THE = [0x40000000]
for _ in range(31):
    _X_TO_TWO_TO_THE.append(_multiply(_X_TO_TWO_TO_THE[-1], _X_TO_TWO_TO_THE[-1]))


def combine_crc32(crc_a: int, crc_b: int, length_b: int) -> int:
    """CRC-32 of A followed by B from the CRC-32s of A and B and B's length (zlib's
    crc32_combine, which Python's zlib does not expose; delivery/upload/crc32-combine.ts is the
    same arithmetic)."""
    factor = 0x80000000
    n, k = length_b, 3
    while n:
        if n & 1:
            factor = _multiply(_X_TO_TWO_TO_THE[k & 31], factor)
        n >>= 1
        k += 1
    return _multiply(factor, crc_a) ^ crc_b
