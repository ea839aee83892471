"""The case editor's sections, one module per section or group: the form sections, persons, seized items, history."""
