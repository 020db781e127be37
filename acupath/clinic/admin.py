from django.contrib import admin

from acupath.clinic.models import AppointmentType, Clinic, Location, Practitioner, Room

admin.site.register([Clinic, Location, Room, Practitioner, AppointmentType])
