<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Counted</name>
    <message numerus="yes">
        <source>%n queue(s) paused</source>
        <translation>
            <numerusform>%n queue paused</numerusform>
            <numerusform>%n queues paused</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n agent(s) free</source>
        <translation>
            <numerusform>%n agent free</numerusform>
            <numerusform>%n agents free</numerusform>
        </translation>
    </message>
</context>
</TS>
