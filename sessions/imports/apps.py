from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Importing clinics' appointment lists: the import job, its task, admin and command.

    An app of its own so that the core sessions app does not import it to register its model,
    admin, task and command (docs/adr/0036-imports-app-of-its-own.md). Its table keeps the name
    it had in the core app, `waitingroom_importjob`.
    """

    name = "sessions.imports"
    label = "imports"
    verbose_name = "Appointment imports"
