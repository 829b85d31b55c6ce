"""Copy every stored media file from the local media directory to the configured storages.

    manage.py media_migrate_storage [--source DIR] [--verify-only]

Which storage a file goes to is the one its model field uses now (private originals,
public renditions/video/audio: media/storage.py), so run it after AWS_STORAGE_BUCKET_NAME
is set. Resumable: a file already in the target with the same size is not copied again.
A verification pass then compares every file's size and SHA-256 on both sides; the
command exits non-zero if any file is missing or differs.
"""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.management.base import BaseCommand, CommandError

from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from tqdm import tqdm
from wagtailmedia import get_media_model

from media.storage import PublicStorage, get_public_storage

CHUNK_SIZE = 1024 * 1024


def file_fields():
    """(model, field name) of every file the media library stores."""
    image_model = get_image_model()
    return [
        (image_model, "file"),
        (image_model.get_rendition_model(), "file"),
        (get_media_model(), "file"),
        (get_media_model(), "thumbnail"),
        (get_media_model(), "subtitles"),
        (get_document_model(), "file"),
    ]


def stored_files():
    """(name, target storage) for every non-empty file field value, without duplicates."""
    seen = set()
    for model, field_name in file_fields():
        names = model.objects.exclude(**{field_name: ""}).values_list(field_name, flat=True)
        storage = model._meta.get_field(field_name).storage
        for name in names.iterator():
            if name and name not in seen:
                seen.add(name)
                yield name, storage


def sha256_and_size(storage, name):
    digest = hashlib.sha256()
    size = 0
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK_SIZE):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


@dataclass
class Report:
    copied: int = 0
    skipped: int = 0
    missing_locally: list = field(default_factory=list)
    mismatched: list = field(default_factory=list)


class Command(BaseCommand):
    help = "Copy media files from the local media directory to the configured (S3) storages."

    def add_arguments(self, parser):
        parser.add_argument(
            "--source", default=str(settings.MEDIA_ROOT), help="Local media directory."
        )
        parser.add_argument(
            "--verify-only", action="store_true", help="Only compare sizes and hashes."
        )

    def handle(self, *args, **options):
        source = FileSystemStorage(location=options["source"])
        files = list(stored_files())
        self.refuse_local_target(files, source)
        report = Report()
        if not options["verify_only"]:
            self.copy(files, source, report)
        self.verify(files, source, report)
        self.summarise(files, report)

    def refuse_local_target(self, files, source):
        for _name, storage in files:
            if isinstance(storage, PublicStorage):
                storage = get_public_storage()
            if isinstance(storage, FileSystemStorage):
                raise CommandError(
                    "The configured storage is the local media directory itself: nothing to "
                    "migrate. Set AWS_STORAGE_BUCKET_NAME (and AWS_S3_ENDPOINT_URL for an "
                    "S3-compatible store) first."
                )

    def copy(self, files, source, report):
        for name, target in tqdm(files, desc="copy", unit="file"):
            if not source.exists(name):
                report.missing_locally.append(name)
                continue
            if target.exists(name) and target.size(name) == source.size(name):
                report.skipped += 1  # copied by an earlier (interrupted) run
                continue
            if target.exists(name):
                target.delete(name)
            with source.open(name, "rb") as handle:
                saved_as = target.save(name, handle)
            if saved_as != name:
                raise CommandError(f"{name} was stored as {saved_as}; stopping.")
            report.copied += 1

    def verify(self, files, source, report):
        for name, target in tqdm(files, desc="verify", unit="file"):
            if not source.exists(name):
                if name not in report.missing_locally:
                    report.missing_locally.append(name)
                continue
            if not target.exists(name):
                report.mismatched.append((name, "missing in the target"))
                continue
            if target.size(name) != source.size(name):
                report.mismatched.append((name, "different size"))
            elif sha256_and_size(target, name) != sha256_and_size(source, name):
                report.mismatched.append((name, "different SHA-256"))

    def summarise(self, files, report):
        self.stdout.write(
            f"{len(files)} files: {report.copied} copied, {report.skipped} already there, "
            f"{len(files) - len(report.mismatched) - len(report.missing_locally)} verified."
        )
        for name in report.missing_locally:
            self.stderr.write(f"missing locally (not copied): {name}")
        for name, problem in report.mismatched:
            self.stderr.write(f"verification failed: {name}: {problem}")
        if report.mismatched or report.missing_locally:
            raise CommandError(
                f"{len(report.mismatched)} files failed verification and "
                f"{len(report.missing_locally)} are missing locally; run the command again "
                "to resume."
            )
        self.stdout.write(self.style.SUCCESS("Every file verified (size and SHA-256)."))
